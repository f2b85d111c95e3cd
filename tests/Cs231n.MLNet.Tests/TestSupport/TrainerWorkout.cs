using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.TestSupport;

/// <summary>
/// The "workout" ML.NET runs on its own estimators, for any of our trainers: schema propagation before fit,
/// fit/transform, Evaluate, CrossValidate, PredictionEngine, save → load (same process, fresh MLContext, and a
/// separate process) with bit-identical scores, and the same output columns and annotations as a built-in trainer.
/// </summary>
public static class TrainerWorkout
{
    private const int Dimension = 6;

    public sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";

        public float[] Score { get; set; } = Array.Empty<float>();
    }

    public static void Run(Func<MLContext, IEstimator<ITransformer>> createTrainer, double minimumAccuracy)
    {
        var mlContext = new MLContext(seed: 7);
        // Disjoint rows of the same blobs: 180 to train, 30 held out, so that "test accuracy" means what it says.
        var rows = SyntheticData.Blobs(70, 3, Dimension, 1.5f, seed: 1);
        var train = SyntheticData.ToDataView(mlContext, rows.Take(180), Dimension);
        var testRows = rows.Skip(180).ToList();
        var test = SyntheticData.ToDataView(mlContext, testRows, Dimension);

        IEstimator<ITransformer> Pipeline(MLContext ml, IEstimator<ITransformer> trainer) =>
            ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.Transforms.NormalizeMinMax("Features"))
                .AppendCacheCheckpoint(ml)
                .Append(trainer)
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        var pipeline = Pipeline(mlContext, createTrainer(mlContext));

        // Schema propagation before any data is read.
        var shape = pipeline.GetOutputSchema(ShapeOf(train.Schema));
        var scoreShape = shape.Single(c => c.Name == "Score");
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, scoreShape.Kind);
        Assert.AreEqual(NumberDataViewType.Single, scoreShape.ItemType);
        Assert.AreEqual(TextDataViewType.Instance, shape.Single(c => c.Name == "PredictedLabel").ItemType, "PredictedLabel after MapKeyToValue");

        // Fit, transform, and the same columns and annotations as a built-in trainer.
        var model = pipeline.Fit(train);
        var scored = model.Transform(test);
        Assert.AreEqual(TextDataViewType.Instance, scored.Schema["PredictedLabel"].Type, "PredictedLabel maps back to the class names");
        AssertSameScoreColumnsAsBuiltIn(mlContext, train, createTrainer(mlContext));

        // Evaluate.
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.MicroAccuracy >= minimumAccuracy, $"test accuracy {metrics.MicroAccuracy:F3} < {minimumAccuracy}");

        // CrossValidate.
        var folds = mlContext.MulticlassClassification.CrossValidate(train, pipeline, numberOfFolds: 3);
        Assert.AreEqual(3, folds.Count);
        foreach (var fold in folds)
            Assert.IsTrue(fold.Metrics.MicroAccuracy >= minimumAccuracy - 0.1, $"fold accuracy {fold.Metrics.MicroAccuracy:F3}");

        // PredictionEngine gives what Transform gives.
        var expectedScores = ScoreReader.Scores(scored);
        var expectedLabels = scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString()).ToList();
        var engine = mlContext.Model.CreatePredictionEngine<LabelledRow, Prediction>(model, inputSchemaDefinition: SyntheticData.SchemaFor(Dimension));
        for (int i = 0; i < testRows.Count; i++)
        {
            var prediction = engine.Predict(testRows[i]);
            Assert.AreEqual(expectedLabels[i], prediction.PredictedLabel, $"row {i}");
            ScoreReader.AssertBitIdentical(new[] { expectedScores[i] }, new[] { prediction.Score });
        }

        // Save → load in a fresh MLContext → identical scores.
        string directory = Directory.CreateTempSubdirectory("cs231n-workout-").FullName;
        try
        {
            string modelPath = Path.Combine(directory, "model.zip");
            mlContext.Model.Save(model, train.Schema, modelPath);
            var fresh = new MLContext(seed: 123);
            var loaded = fresh.Model.Load(modelPath, out var inputSchema);
            Assert.AreEqual(train.Schema.Count, inputSchema.Count);
            var reloadedScored = loaded.Transform(SyntheticData.ToDataView(fresh, testRows, Dimension));
            ScoreReader.AssertBitIdentical(expectedScores, ScoreReader.Scores(reloadedScored));
            CollectionAssert.AreEqual(expectedLabels,
                reloadedScored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString()).ToList());

            // ... and in a separate process that makes no registration call.
            AssertSeparateProcessScores(mlContext, modelPath, test, expectedScores, directory, expectedLabels);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>SchemaShape.Create is internal to ML.NET; estimators' GetOutputSchema is what users call.</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema)
        => (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .Invoke(null, new object[] { schema })!;

    /// <summary>Our Score and PredictedLabel columns carry the types and annotations of SdcaMaximumEntropy's.</summary>
    private static void AssertSameScoreColumnsAsBuiltIn(MLContext mlContext, IDataView train, IEstimator<ITransformer> trainer)
    {
        var prefix = mlContext.Transforms.Conversion.MapValueToKey("Label").Append(mlContext.Transforms.NormalizeMinMax("Features"));
        var ours = prefix.Append(trainer).Fit(train).Transform(train).Schema;
        var builtIn = prefix.Append(mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 1)).Fit(train).Transform(train).Schema;
        foreach (string name in new[] { "PredictedLabel", "Score" })
        {
            Assert.AreEqual(builtIn[name].Type, ours[name].Type, $"type of {name}");
            Assert.AreEqual(builtIn[name].Index, ours[name].Index, $"position of {name}");
            var expected = builtIn[name].Annotations.Schema.Select(a => $"{a.Name}:{a.Type}").OrderBy(s => s).ToList();
            var actual = ours[name].Annotations.Schema.Select(a => $"{a.Name}:{a.Type}").OrderBy(s => s).ToList();
            CollectionAssert.AreEqual(expected, actual, $"annotations of {name}: {string.Join(", ", actual)}");
        }
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        ours["Score"].GetSlotNames(ref slotNames);
        CollectionAssert.AreEqual(new[] { "class0", "class1", "class2" }.ToList(),
            slotNames.DenseValues().Select(v => v.ToString()).OrderBy(s => s).ToList());
    }

    /// <summary>
    /// Loads <paramref name="modelPath"/> in a separate process that makes no registration call (the deployed
    /// Cs231n.MLNet.LoadProbe), scores <paramref name="test"/> there, and asserts the scores equal <paramref name="expected"/> bit for bit
    /// and, when given, the predicted labels equal <paramref name="expectedLabels"/>.
    /// </summary>
    public static void AssertSeparateProcessScores(MLContext mlContext, string modelPath, IDataView test, IReadOnlyList<float[]> expected, string workDirectory,
        IReadOnlyList<string>? expectedLabels = null)
    {
        string dataPath = Path.Combine(workDirectory, "test.idv");
        using (var stream = File.Create(dataPath))
            mlContext.Data.SaveAsBinary(test, stream);
        string scoresPath = Path.Combine(workDirectory, "scores.bin");
        string labelsPath = Path.Combine(workDirectory, "labels.txt");
        RunLoadProbe(modelPath, dataPath, scoresPath, labelsPath);
        if (expectedLabels != null)
            CollectionAssert.AreEqual(expectedLabels.ToList(), File.ReadAllLines(labelsPath).ToList(), "PredictedLabel in the separate process");
        var bytes = File.ReadAllBytes(scoresPath);
        var flat = expected.SelectMany(s => s).ToArray();
        Assert.AreEqual(flat.Length * sizeof(float), bytes.Length, "score bytes written by the separate process");
        for (int i = 0; i < flat.Length; i++)
            Assert.AreEqual(BitConverter.SingleToInt32Bits(flat[i]), BitConverter.ToInt32(bytes, i * sizeof(float)), $"score value {i}");
    }

    private static void RunLoadProbe(string modelPath, string dataPath, string scoresPath, string labelsPath)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "Cs231n.MLNet.LoadProbe.dll");
        Assert.IsTrue(File.Exists(probe), $"the load probe is deployed beside the tests ({probe})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { probe, modelPath, dataPath, scoresPath, labelsPath })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(120_000), "the load probe finished within two minutes");
        Assert.AreEqual(0, process.ExitCode, $"load probe failed: {stdout.Result}\n{stderr.Result}");
    }
}
