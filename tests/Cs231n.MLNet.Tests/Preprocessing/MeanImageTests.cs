using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Preprocessing;

/// <summary>SubtractMeanImage learns exactly the per-feature training mean and subtracts exactly that.</summary>
[TestClass]
public sealed class MeanImageTests
{
    private static readonly float[][] Training =
    [
        [1f, 2f, 3f, -4f],
        [3f, 4f, 5f, 0f],
        [5f, 9f, 1f, 1f],
        [7f, 1f, 3f, 7f],
    ];

    // Column sums 16, 16, 12, 4 over 4 rows.
    private static readonly float[] HandComputedMean = [4f, 4f, 3f, 1f];

    [TestMethod]
    public void MeanIsTheHandComputedTrainingMean()
    {
        var mlContext = new MLContext(1);
        var transformer = mlContext.Transforms.SubtractMeanImage("Features").Fit(MeanImageRows.View(mlContext, Training));

        CollectionAssert.AreEqual(HandComputedMean, transformer.Mean.ToArray());
        Assert.AreEqual(4L, transformer.TrainingRowCount);
        Assert.AreEqual(4, transformer.FeatureCount);
        Assert.AreEqual("Features", transformer.InputColumnName);
        Assert.AreEqual("Features", transformer.OutputColumnName);
    }

    [TestMethod]
    public void TransformSubtractsTheTrainingMeanFromEveryRow()
    {
        var mlContext = new MLContext(1);
        var transformer = mlContext.Transforms.SubtractMeanImage("Features").Fit(MeanImageRows.View(mlContext, Training));
        float[][] unseen = [[0f, 0f, 0f, 0f], [10f, -2f, 3.5f, 1f]];

        var output = MeanImageRows.Column(transformer.Transform(MeanImageRows.View(mlContext, unseen)), "Features");

        CollectionAssert.AreEqual(new[] { -4f, -4f, -3f, -1f }, output[0]);
        CollectionAssert.AreEqual(new[] { 6f, -6f, 0.5f, 0f }, output[1]);
    }

    [TestMethod]
    public void TrainingRowsAreCentredToAZeroMean()
    {
        var mlContext = new MLContext(1);
        var rows = SyntheticData.Blobs(40, 3, 12, 2f, seed: 5).Select(r => new FeatureRow { Label = r.Label, Features = r.Features }).ToList();
        var data = MeanImageRows.View(mlContext, rows);

        var centred = MeanImageRows.Column(mlContext.Transforms.SubtractMeanImage("Centred", "Features").Fit(data).Transform(data), "Centred");

        for (int j = 0; j < 12; j++)
        {
            double expectedMean = rows.Average(r => (double)r.Features[j]);
            Assert.AreEqual(0.0, centred.Average(r => (double)r[j]), 1e-5, $"feature {j}");
            for (int i = 0; i < rows.Count; i++)
                Assert.AreEqual(rows[i].Features[j] - (float)expectedMean, centred[i][j], $"row {i}, feature {j}");
        }
    }

    [TestMethod]
    public void SparseInputIsDensifiedAndAveragedWithItsImplicitZeros()
    {
        var mlContext = new MLContext(1);
        var rows = new[]
        {
            new BufferRow { Features = new VBuffer<float>(4, 1, [8f], [2]) },
            new BufferRow { Features = new VBuffer<float>(4, 2, [4f, 2f], [0, 3]) },
        };
        var schema = SchemaDefinition.Create(typeof(BufferRow));
        schema[nameof(BufferRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 4);
        var data = mlContext.Data.LoadFromEnumerable(rows, schema);

        var transformer = mlContext.Transforms.SubtractMeanImage("Features").Fit(data);
        // Cursors reuse their buffers: copy each row out as it comes.
        var output = transformer.Transform(data).GetColumn<VBuffer<float>>("Features").Select(v => (v.IsDense, Values: v.DenseValues().ToArray())).ToArray();

        CollectionAssert.AreEqual(new[] { 2f, 0f, 4f, 1f }, transformer.Mean.ToArray());
        Assert.IsTrue(output.All(v => v.IsDense), "mean-subtracted rows are dense");
        CollectionAssert.AreEqual(new[] { -2f, 0f, 4f, -1f }, output[0].Values);
        CollectionAssert.AreEqual(new[] { 2f, 0f, -4f, 1f }, output[1].Values);
    }

    [TestMethod]
    public void RowsWithNonFiniteValuesAreLeftOutOfTheMean()
    {
        var mlContext = new MLContext(1);
        var transformer = mlContext.Transforms.SubtractMeanImage("Features")
            .Fit(MeanImageRows.View(mlContext, [1f, 2f], [float.NaN, 100f], [3f, float.PositiveInfinity], [5f, 4f]));

        CollectionAssert.AreEqual(new[] { 3f, 3f }, transformer.Mean.ToArray());
        Assert.AreEqual(2L, transformer.TrainingRowCount);
    }

    [TestMethod]
    public void ReplacingAColumnHidesTheOriginalAndANewColumnKeepsIt()
    {
        var mlContext = new MLContext(1);
        var data = MeanImageRows.View(mlContext, Training);

        var replaced = mlContext.Transforms.SubtractMeanImage("Features").Fit(data).Transform(data);
        Assert.AreEqual(data.Schema.Count + 1, replaced.Schema.Count);
        Assert.IsTrue(replaced.Schema[data.Schema["Features"].Index].IsHidden, "the original Features column is hidden");
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 4), replaced.Schema["Features"].Type);

        var added = mlContext.Transforms.SubtractMeanImage("Centred", "Features").Fit(data).Transform(data);
        CollectionAssert.AreEqual(MeanImageRows.Column(data, "Features"), MeanImageRows.Column(added, "Features"), new JaggedComparer(),
            "the input column passes through unchanged");
        Assert.AreEqual("Centred", added.Schema[^1].Name);
        Assert.AreEqual(data.GetRowCount(), added.GetRowCount());
    }

    [TestMethod]
    public void SchemaShapeBeforeFittingMatchesTheTransformedSchema()
    {
        var mlContext = new MLContext(1);
        // Concatenating scalar columns names the slots after them.
        var scalars = mlContext.Data.LoadFromEnumerable(Training.Select(r => new ScalarRow { A = r[0], B = r[1], C = r[2], D = r[3] }).ToList());
        var data = mlContext.Transforms.Concatenate("Pixels", "A", "B", "C", "D").Fit(scalars).Transform(scalars);
        var estimator = mlContext.Transforms.SubtractMeanImage("Centred", "Pixels");

        var shape = estimator.GetOutputSchema(TrainerWorkout.ShapeOf(data.Schema));
        var schema = estimator.Fit(data).GetOutputSchema(data.Schema);

        var centred = shape.Single(c => c.Name == "Centred");
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, centred.Kind);
        Assert.AreEqual(NumberDataViewType.Single, centred.ItemType);
        Assert.IsFalse(centred.IsKey);
        CollectionAssert.AreEquivalent(data.Schema.Where(c => !c.IsHidden).Select(c => c.Name).Append("Centred").ToList(), shape.Select(c => c.Name).ToList());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 4), schema["Centred"].Type);

        // The slot names describe the same features after centring.
        Assert.IsTrue(centred.Annotations.Any(a => a.Name == "SlotNames"), "slot names in the shape");
        VBuffer<ReadOnlyMemory<char>> expected = default, actual = default;
        data.Schema["Pixels"].GetSlotNames(ref expected);
        schema["Centred"].GetSlotNames(ref actual);
        CollectionAssert.AreEqual(expected.DenseValues().Select(m => m.ToString()).ToList(), actual.DenseValues().Select(m => m.ToString()).ToList());
    }

    [TestMethod]
    public void PredictionEngineGivesWhatTransformGives()
    {
        var mlContext = new MLContext(1);
        var data = MeanImageRows.View(mlContext, Training);
        var transformer = mlContext.Transforms.SubtractMeanImage("Centred", "Features").Fit(data);
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 4);
        var engine = mlContext.Model.CreatePredictionEngine<FeatureRow, CentredRow>(transformer, inputSchemaDefinition: schema);

        var expected = MeanImageRows.Column(transformer.Transform(data), "Centred");
        for (int i = 0; i < Training.Length; i++)
            CollectionAssert.AreEqual(expected[i], engine.Predict(new FeatureRow { Features = Training[i] }).Centred, $"row {i}");
    }

    [TestMethod]
    public void ParallelCursorsSeeTheSameRowsAsOneCursor()
    {
        var mlContext = new MLContext(1);
        var rows = SyntheticData.Blobs(300, 2, 5, 1f, seed: 3).Select(r => new FeatureRow { Label = r.Label, Features = r.Features }).ToList();
        var data = mlContext.Data.Cache(MeanImageRows.View(mlContext, rows));
        var output = mlContext.Transforms.SubtractMeanImage("Centred", "Features").Fit(data).Transform(data);
        var expected = MeanImageRows.Column(output, "Centred").Select(r => string.Join(",", r)).Order().ToList();

        var column = output.Schema["Centred"];
        var seen = new List<string>();
        foreach (var cursor in output.GetRowCursorSet(new[] { column }, 2))
        {
            using (cursor)
            {
                var getter = cursor.GetGetter<VBuffer<float>>(column);
                VBuffer<float> value = default;
                while (cursor.MoveNext())
                {
                    getter(ref value);
                    seen.Add(string.Join(",", value.DenseValues()));
                }
            }
        }
        CollectionAssert.AreEqual(expected, seen.Order().ToList());
    }

    /// <summary>
    /// Why this transform exists: ML.NET's normalisers do something else. NormalizeMeanVariance leaves the mean in
    /// place by default and divides by the standard deviation when it removes it; NormalizeGlobalContrast subtracts
    /// each row's own mean.
    /// </summary>
    [TestMethod]
    public void NoBuiltInNormalizerSubtractsThePerFeatureTrainingMean()
    {
        var mlContext = new MLContext(1);
        var data = MeanImageRows.View(mlContext, Training);
        var ours = MeanImageRows.Column(mlContext.Transforms.SubtractMeanImage("Features").Fit(data).Transform(data), "Features");
        var expected = Training.Select(r => r.Select((v, j) => v - HandComputedMean[j]).ToArray()).ToArray();
        CollectionAssert.AreEqual(expected, ours, new JaggedComparer());

        var meanVarianceDefault = MeanImageRows.Column(mlContext.Transforms.NormalizeMeanVariance("Features").Fit(data).Transform(data), "Features");
        var meanVarianceCentring = MeanImageRows.Column(mlContext.Transforms.NormalizeMeanVariance("Features", fixZero: false).Fit(data).Transform(data), "Features");
        var globalContrast = MeanImageRows.Column(mlContext.Transforms.NormalizeGlobalContrast("Features", ensureZeroMean: true, ensureUnitStandardDeviation: false, scale: 1).Fit(data).Transform(data), "Features");

        // NormalizeMeanVariance keeps zero at zero by default, so the training mean stays in the data.
        Assert.AreNotEqual(0.0, meanVarianceDefault.Average(r => (double)r[0]), 1e-3);
        // With fixZero: false it centres, but every feature is divided by its standard deviation as well.
        for (int j = 0; j < 4; j++)
        {
            Assert.AreEqual(0.0, meanVarianceCentring.Average(r => (double)r[j]), 1e-5, $"feature {j} is centred");
            int i = Enumerable.Range(0, expected.Length).MaxBy(r => Math.Abs(expected[r][j]));
            double ratio = meanVarianceCentring[i][j] / expected[i][j];
            Assert.AreNotEqual(1.0, ratio, 1e-3, $"feature {j} is also scaled");
        }
        // NormalizeGlobalContrast centres rows, not features.
        foreach (var row in globalContrast)
            Assert.AreEqual(0.0, row.Average(v => (double)v), 1e-5);
        Assert.IsFalse(new JaggedComparer().Compare(expected, globalContrast) == 0, "per-row centring differs from per-feature centring");
    }

    public sealed class ScalarRow
    {
        public float A { get; set; }

        public float B { get; set; }

        public float C { get; set; }

        public float D { get; set; }
    }

    public sealed class CentredRow
    {
        public float[] Centred { get; set; } = Array.Empty<float>();
    }

    /// <summary>Compares float rows element by element, for CollectionAssert.</summary>
    private sealed class JaggedComparer : System.Collections.IComparer
    {
        public int Compare(object? x, object? y)
        {
            if (x is float[][] a && y is float[][] b)
                return a.Length == b.Length && a.Zip(b).All(p => Compare(p.First, p.Second) == 0) ? 0 : 1;
            var left = (float[])x!;
            var right = (float[])y!;
            return left.AsSpan().SequenceEqual(right) ? 0 : 1;
        }
    }
}
