using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Optimization;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Reliability;

/// <summary>
/// A row scores NaN and the missing key only when one of its features is NaN or ∞. Finite but extreme features are
/// scored without overflow; learned state that single precision cannot score is refused at Fit and at load.
/// </summary>
[TestClass]
public sealed class ExtremeValuesTests
{
    private const int Dimension = 5;

    public static IEnumerable<object[]> Trainers => TrainerCatalog.All.Select(t => new object[] { t.Name });

    private static readonly float[][] ExtremeRows =
    [
        Enumerable.Repeat(float.MaxValue, Dimension).ToArray(),
        Enumerable.Repeat(-float.MaxValue, Dimension).ToArray(),
        Enumerable.Range(0, Dimension).Select(i => i % 2 == 0 ? float.MaxValue : -float.MaxValue).ToArray(),
        Enumerable.Repeat(1e30f, Dimension).ToArray(),
        [3e38f, 1f, 2f, -3e38f, 0.5f],
    ];

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void FiniteExtremeRowsScoreFiniteWithARealClass(string trainerName)
    {
        var mlContext = new MLContext(seed: 1);
        var train = SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(30, 3, Dimension, 1f, seed: 21), Dimension);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label").Append(TrainerCatalog.Create(trainerName, mlContext)).Fit(train);
        var queries = SyntheticData.ToDataView(mlContext, ExtremeRows.Select(x => new LabelledRow { Label = "class0", Features = x }), Dimension);
        var scored = model.Transform(queries);
        var scores = ScoreReader.Scores(scored);
        var keys = ScoreReader.PredictedKeys(scored);
        for (int i = 0; i < ExtremeRows.Length; i++)
        {
            Assert.IsTrue(scores[i].All(float.IsFinite), $"row {i}: scores {string.Join(", ", scores[i])}");
            Assert.AreNotEqual(0u, keys[i], $"row {i} predicted the missing key");
            Assert.AreEqual((uint)Array.IndexOf(scores[i], scores[i].Max()) + 1, keys[i], $"row {i}: PredictedLabel is the arg-max of Score");
        }

        // The same rows through PredictionEngine, one at a time.
        var engine = mlContext.Model.CreatePredictionEngine<LabelledRow, ScoreOnly>(model, inputSchemaDefinition: SyntheticData.SchemaFor(Dimension));
        for (int i = 0; i < ExtremeRows.Length; i++)
            ScoreReader.AssertBitIdentical(new[] { scores[i] }, new[] { engine.Predict(new LabelledRow { Label = "class0", Features = ExtremeRows[i] }).Score });
    }

    [TestMethod]
    [DataRow(LinearClassifierLoss.MulticlassHinge)]
    [DataRow(LinearClassifierLoss.SoftmaxCrossEntropy)]
    public void LinearScoresOfExtremeRowsAreThoseOfExactArithmetic(LinearClassifierLoss loss)
    {
        var mlContext = new MLContext(seed: 1);
        var train = Keyed(mlContext, SyntheticData.Blobs(30, 3, Dimension, 1f, seed: 22));
        var model = loss == LinearClassifierLoss.MulticlassHinge
            ? (ITransformer)mlContext.MulticlassClassification.Trainers.MulticlassSvm(numberOfEpochs: 3).Fit(train)
            : mlContext.MulticlassClassification.Trainers.Softmax(numberOfEpochs: 3).Fit(train);
        var linear = ((MulticlassBatchPredictionTransformer<LinearClassifierModelParameters>)model).Model;
        var scored = model.Transform(SyntheticData.ToDataView(mlContext, ExtremeRows.Select(x => new LabelledRow { Label = "class0", Features = x }), Dimension));
        var keys = ScoreReader.PredictedKeys(scored);
        for (int i = 0; i < ExtremeRows.Length; i++)
        {
            // s = Wx + b, exactly (decimal would be exact but slower; double holds these sums without overflow).
            var exact = Enumerable.Range(0, 3).Select(c => linear.Bias.Span[c]
                + linear.GetClassWeights(c).ToArray().Zip(ExtremeRows[i], (w, x) => (double)w * x).Sum()).ToArray();
            Assert.AreEqual((uint)Array.IndexOf(exact, exact.Max()) + 1, keys[i], $"row {i}: exact scores {string.Join(", ", exact)}");
        }
    }

    [TestMethod]
    public void SvmRawScoresBeyondTheFloatRangeKeepTheirOrder()
    {
        // Weights of ordinary size; a row of float.MaxValue makes every raw score exceed the float range (5 × 3.4e38).
        float[] weights = [.. Enumerable.Repeat(1f, Dimension), .. Enumerable.Repeat(2f, Dimension), .. Enumerable.Repeat(-1f, Dimension)];
        var svm = new LinearClassifierModelParameters(weights, [0f, 0f, 0f], 3, Dimension, LinearClassifierLoss.MulticlassHinge, EmptyHistory());
        var mlContext = new MLContext(seed: 1);
        var data = Keyed(mlContext, Enumerable.Range(0, 3).Select(c => new LabelledRow { Label = $"class{c}", Features = ExtremeRows[0] }).ToList());
        var scored = new MulticlassBatchPredictionTransformer<LinearClassifierModelParameters>(svm, "Features", data.Schema["Label"]).Transform(data);
        var score = ScoreReader.Scores(scored)[0];
        Assert.IsTrue(score.All(float.IsFinite), string.Join(", ", score));
        // Exact scores 5·M, 10·M and −5·M, divided by one power of two: the ratios 1 : 2 : −1 survive exactly.
        Assert.AreEqual(2 * score[0], score[1]);
        Assert.AreEqual(-score[0], score[2]);
        Assert.AreEqual(2u, ScoreReader.PredictedKeys(scored)[0]);
    }

    [TestMethod]
    [DataRow(KnnDistance.L1)]
    [DataRow(KnnDistance.L2)]
    [DataRow(KnnDistance.Cosine)]
    public void KnnRanksExtremeQueriesAsExactArithmeticDoes(KnnDistance distance)
    {
        var mlContext = new MLContext(seed: 1);
        var rows = SyntheticData.Blobs(30, 3, Dimension, 1f, seed: 23);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5, distance: distance))
            .Fit(SyntheticData.ToDataView(mlContext, rows, Dimension)).LastTransformer.Model;
        foreach (var query in ExtremeRows)
        {
            var expected = rows.Select((r, i) => (Distance: ExactDistance(query, r.Features, distance), Index: i))
                .OrderBy(p => p.Distance).ThenBy(p => p.Index).Take(5).Select(p => p.Index).ToArray();
            var found = model.FindNeighbors(query, 5);
            CollectionAssert.AreEqual(expected, found.Select(n => n.Index).ToArray(), $"query {query[0]:G3}, …");
            Assert.IsTrue(found.All(n => float.IsFinite(n.Distance)));
        }
    }

    [TestMethod]
    public void KnnRefusesTrainingRowsWhoseDistancesWouldOverflow()
    {
        var mlContext = new MLContext(seed: 1);
        var rows = SyntheticData.Blobs(10, 3, Dimension, 1f, seed: 24);
        rows[7].Features[2] = 1e20f;
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => mlContext.MulticlassClassification.Trainers.KNearestNeighbors().Fit(Keyed(mlContext, rows)));
        StringAssert.Contains(error.Message, "Feature column 'Features'");
        StringAssert.Contains(error.Message, "row 7 has values up to 1E+20");
        StringAssert.Contains(error.Message, "NormalizeMinMax");
    }

    [TestMethod]
    public void LinearWeightsThatOverflowEveryScoreAreRejectedAtLoad()
    {
        var weights = Enumerable.Range(0, 3 * Dimension).Select(i => i % 2 == 0 ? 3.4e38f : -3.4e38f).ToArray();
        var model = new LinearClassifierModelParameters(weights, new float[3], 3, Dimension, LinearClassifierLoss.SoftmaxCrossEntropy, EmptyHistory());
        var error = Assert.ThrowsExactly<CorruptModelException>(() => SaveAndLoad(model));
        StringAssert.Contains(error.Message, "cannot be scored");
        StringAssert.Contains(error.Message, "overflows single precision");
    }

    [TestMethod]
    public void NetworkWeightsThatOverflowEveryScoreAreRejectedAtLoad()
    {
        int[] sizes = [Dimension, 4, 3];
        var weights = new[] { Enumerable.Repeat(0.1f, 4 * Dimension).ToArray(), Enumerable.Repeat(3.4e38f, 3 * 4).ToArray() };
        var model = new MultilayerPerceptronModelParameters(sizes, ActivationFunction.Relu, weights, [new float[4], new float[3]], EmptyHistory());
        var error = Assert.ThrowsExactly<CorruptModelException>(() => SaveAndLoad(model));
        StringAssert.Contains(error.Message, "the weights of layer 1");
    }

    [TestMethod]
    public void KnnTrainingRowsWhoseDistancesWouldOverflowAreRejectedAtLoad()
    {
        var rows = Enumerable.Range(0, 4 * Dimension).Select(i => i == 7 ? 3e38f : 1f).ToArray();
        var model = new KNearestNeighborsModelParameters(rows, [0, 1, 2, 0], Dimension, 3, 1, KnnDistance.L2, KnnWeighting.Uniform, KnnTieBreaking.NearestNeighbor, null);
        var error = Assert.ThrowsExactly<CorruptModelException>(() => SaveAndLoad(model));
        StringAssert.Contains(error.Message, "row 1 has values up to 3E+38");
    }

    [TestMethod]
    public void AFiniteRowTooLargeEvenForDoublePrecisionIsRefusedWithAMessage()
    {
        // Eight ReLU layers of weights near 1e38 take a unit input beyond 1e308; such a network is refused at load
        // (its weights already overflow single precision), so this case can only be reached in-process.
        int[] sizes = Enumerable.Repeat(2, 10).ToArray();
        var weights = Enumerable.Range(0, 9).Select(_ => new[] { 1e38f, 0f, 0f, 1e38f }).ToArray();
        var biases = Enumerable.Range(0, 9).Select(_ => new float[2]).ToArray();
        var network = new MultilayerPerceptronModelParameters(sizes, ActivationFunction.Relu, weights, biases, EmptyHistory());
        var mlContext = new MLContext(seed: 1);
        var data = Keyed(mlContext, new List<LabelledRow> { new() { Label = "a", Features = [1f, 1f] }, new() { Label = "b", Features = [1f, 1f] } }, dimension: 2);
        var transformer = new MulticlassBatchPredictionTransformer<MultilayerPerceptronModelParameters>(network, "Features", data.Schema["Label"]);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ScoreReader.Scores(transformer.Transform(data)));
        StringAssert.Contains(error.Message, "Feature column 'Features'");
        StringAssert.Contains(error.Message, "overflow even in double precision");
    }

    private static double ExactDistance(float[] x, float[] y, KnnDistance distance)
    {
        var pairs = x.Zip(y, (a, b) => ((double)a, (double)b)).ToArray();
        return distance switch
        {
            KnnDistance.L1 => pairs.Sum(p => Math.Abs(p.Item1 - p.Item2)),
            KnnDistance.L2 => Math.Sqrt(pairs.Sum(p => (p.Item1 - p.Item2) * (p.Item1 - p.Item2))),
            _ => 1 - pairs.Sum(p => p.Item1 * p.Item2) / Math.Sqrt(pairs.Sum(p => p.Item1 * p.Item1) * pairs.Sum(p => p.Item2 * p.Item2)),
        };
    }

    private static TrainingHistory EmptyHistory() => new([], [], [], bestEpoch: 0, TrainingStopReason.MaximumEpochs);

    private static void SaveAndLoad<TModel>(TModel model) where TModel : Cs231nModelParameters
    {
        var mlContext = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 3).Select(c => new LabelledRow { Label = $"class{c}", Features = new float[model.FeatureCount] }).ToList();
        var data = Keyed(mlContext, rows, model.FeatureCount);
        var transformer = new MulticlassBatchPredictionTransformer<TModel>(model, "Features", data.Schema["Label"]);
        using var stream = new MemoryStream();
        mlContext.Model.Save(transformer, data.Schema, stream);
        stream.Position = 0;
        try
        {
            new MLContext(seed: 2).Model.Load(stream, out _);
        }
        catch (Exception e) when (e is System.Reflection.TargetInvocationException { InnerException: { } inner })
        {
            var cause = inner;
            while (cause is System.Reflection.TargetInvocationException { InnerException: { } deeper })
                cause = deeper;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
        }
    }

    private static IDataView Keyed(MLContext mlContext, List<LabelledRow> rows, int dimension = Dimension)
    {
        var data = SyntheticData.ToDataView(mlContext, rows, dimension);
        return mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    private sealed class ScoreOnly
    {
        public float[] Score { get; set; } = [];
    }
}
