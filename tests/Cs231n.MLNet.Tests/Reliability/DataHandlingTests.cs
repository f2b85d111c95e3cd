using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Reliability;

/// <summary>
/// What the README promises about data, for every trainer: rows with a missing label or a NaN/∞ feature are skipped
/// and counted (the model is exactly the one trained without them), such rows score NaN and the missing key, and
/// mistakes at the boundary — a missing label column, a text label, validation data shaped differently — fail with
/// a message that names the column, the value and the fix.
/// </summary>
[TestClass]
public sealed class DataHandlingTests
{
    private const int Dimension = 4;
    private static readonly string[] Classes = { "class0", "class1", "class2" };

    public static IEnumerable<object[]> Trainers => TrainerCatalog.All.Select(t => new object[] { t.Name });

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void RowsWithAMissingLabelAreSkippedCountedAndLeaveTheModelAsWithoutThem(string trainerName)
    {
        var rows = SyntheticData.Blobs(30, 3, Dimension, 1f, seed: 11);
        var damaged = rows.Select((r, i) => i % 9 == 4 ? new LabelledRow { Label = "not a class", Features = r.Features } : r).ToList();
        int missing = damaged.Count(r => r.Label == "not a class");
        var clean = damaged.Where(r => r.Label != "not a class").ToList();
        AssertSkippedRowsLeaveTheModelUnchanged(trainerName, damaged, clean, $"Skipped {missing} training rows whose label 'Label' is missing.");
    }

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void RowsWithANaNOrInfiniteFeatureAreSkippedCountedAndLeaveTheModelAsWithoutThem(string trainerName)
    {
        var rows = SyntheticData.Blobs(30, 3, Dimension, 1f, seed: 12);
        var damaged = rows.Select((r, i) => i % 7 != 3 ? r : new LabelledRow
        {
            Label = r.Label,
            Features = r.Features.Select((v, j) => j == i % Dimension ? (i % 2 == 0 ? float.NaN : float.NegativeInfinity) : v).ToArray(),
        }).ToList();
        int nonFinite = damaged.Count(r => r.Features.Any(v => !float.IsFinite(v)));
        var clean = damaged.Where(r => r.Features.All(float.IsFinite)).ToList();
        AssertSkippedRowsLeaveTheModelUnchanged(trainerName, damaged, clean, $"Skipped {nonFinite} training rows with NaN or infinite values in 'Features'.");
    }

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void ARowWithANaNOrInfiniteFeatureScoresNaNAndTheMissingKey(string trainerName)
    {
        var mlContext = new MLContext(seed: 1);
        var model = Fit(mlContext, trainerName, SyntheticData.Blobs(30, 3, Dimension, 1f, seed: 13));
        var queries = SyntheticData.Blobs(2, 3, Dimension, 1f, seed: 13);
        queries[1].Features[2] = float.NaN;
        queries[3].Features[0] = float.PositiveInfinity;
        queries[4].Features[3] = float.NegativeInfinity;
        var scored = model.Transform(SyntheticData.ToDataView(mlContext, queries, Dimension));
        var scores = ScoreReader.Scores(scored);
        var keys = ScoreReader.PredictedKeys(scored);
        for (int i = 0; i < queries.Count; i++)
        {
            bool invalid = i is 1 or 3 or 4;
            Assert.AreEqual(invalid, scores[i].All(float.IsNaN), $"row {i}: scores {string.Join(", ", scores[i])}");
            Assert.IsTrue(invalid || scores[i].All(float.IsFinite), $"row {i}: finite features must give finite scores");
            Assert.AreEqual(invalid, keys[i] == 0u, $"row {i}: predicted key {keys[i]}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void AMissingLabelColumnIsNamedAtFitAndAtGetOutputSchema(string trainerName)
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Transforms.Conversion.MapValueToKey("Class", "Label")
            .Append(mlContext.Transforms.DropColumns("Label"))
            .Fit(SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(10, 3, Dimension, 1f, seed: 14), Dimension));
        var withoutLabel = data.Transform(SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(10, 3, Dimension, 1f, seed: 14), Dimension));
        var trainer = TrainerCatalog.Create(trainerName, mlContext);

        var atFit = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Fit(withoutLabel));
        StringAssert.Contains(atFit.Message, "Label column 'Label' was not found");
        StringAssert.Contains(atFit.Message, "'Class'", "the message lists the columns that exist");
        StringAssert.Contains(atFit.Message, "labelColumnName");

        var atSchema = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.GetOutputSchema(TrainerWorkout.ShapeOf(withoutLabel.Schema)));
        StringAssert.Contains(atSchema.Message, "Label column 'Label' was not found");
        StringAssert.Contains(atSchema.Message, "labelColumnName");
    }

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void ATextLabelAsksForMapValueToKey(string trainerName)
    {
        var mlContext = new MLContext(seed: 1);
        var data = SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(10, 3, Dimension, 1f, seed: 15), Dimension);
        var trainer = TrainerCatalog.Create(trainerName, mlContext);
        var atFit = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Fit(data));
        StringAssert.Contains(atFit.Message, "Label column 'Label' must be a key type but is String");
        StringAssert.Contains(atFit.Message, "MapValueToKey(\"Label\")");
        var atSchema = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.GetOutputSchema(TrainerWorkout.ShapeOf(data.Schema)));
        StringAssert.Contains(atSchema.Message, "MapValueToKey(\"Label\")");
    }

    public static IEnumerable<object[]> GradientTrainers => TrainerCatalog.All.Where(t => t.Name != "KNearestNeighbors").Select(t => new object[] { t.Name });

    [TestMethod]
    [DynamicData(nameof(GradientTrainers))]
    public void ValidationDataWithAnotherFeatureLengthIsNamed(string trainerName)
    {
        var mlContext = new MLContext(seed: 1);
        var train = Keyed(mlContext, SyntheticData.Blobs(10, 3, Dimension, 1f, seed: 16), Dimension);
        var validation = Keyed(mlContext, SyntheticData.Blobs(5, 3, Dimension + 2, 1f, seed: 17), Dimension + 2);
        var trainer = TrainerCatalog.Create(trainerName, mlContext);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FitWithValidation(trainer, train, validation));
        StringAssert.Contains(error.Message, $"Feature column 'Features' of the validation data has {Dimension + 2} values per row but the training data has {Dimension}");
        StringAssert.Contains(error.Message, "featurize both the same way");
    }

    [TestMethod]
    [DynamicData(nameof(GradientTrainers))]
    public void ValidationDataWithAnotherLabelKeyCountIsNamed(string trainerName)
    {
        var mlContext = new MLContext(seed: 1);
        var train = Keyed(mlContext, SyntheticData.Blobs(10, 3, Dimension, 1f, seed: 18), Dimension);
        var twoClasses = SyntheticData.Blobs(5, 2, Dimension, 1f, seed: 19);
        var validationData = SyntheticData.ToDataView(mlContext, twoClasses, Dimension);
        var validation = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(validationData).Transform(validationData);
        var trainer = TrainerCatalog.Create(trainerName, mlContext);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FitWithValidation(trainer, train, validation));
        StringAssert.Contains(error.Message, "Label column 'Label' has 2 classes in the validation data but 3 in the training data");
        StringAssert.Contains(error.Message, "same MapValueToKey transformer");
    }

    private static void FitWithValidation(IEstimator<ITransformer> trainer, IDataView train, IDataView validation)
    {
        switch (trainer)
        {
            case MulticlassSvmTrainer svm:
                svm.Fit(train, validation);
                break;
            case SoftmaxTrainer softmax:
                softmax.Fit(train, validation);
                break;
            case MultilayerPerceptronTrainer mlp:
                mlp.Fit(train, validation);
                break;
            default:
                Assert.Fail($"{trainer.GetType().Name} takes no validation data");
                break;
        }
    }

    private static void AssertSkippedRowsLeaveTheModelUnchanged(string trainerName, List<LabelledRow> damaged, List<LabelledRow> clean, string logLine)
    {
        var log = new List<string>();
        var withDamage = new MLContext(seed: 5);
        withDamage.Log += (_, e) => { lock (log) log.Add(e.Message); };
        var fromDamaged = Fit(withDamage, trainerName, damaged);
        var fromClean = Fit(new MLContext(seed: 5), trainerName, clean);
        Assert.IsTrue(log.Any(m => m.Contains(logLine, StringComparison.Ordinal)), $"no log line '{logLine}' in:\n{string.Join("\n", log)}");

        var probe = SyntheticData.ToDataView(new MLContext(seed: 1), SyntheticData.Blobs(10, 3, Dimension, 1f, seed: 99), Dimension);
        ScoreReader.AssertBitIdentical(ScoreReader.Scores(fromClean.Transform(probe)), ScoreReader.Scores(fromDamaged.Transform(probe)));
    }

    private static ITransformer Fit(MLContext mlContext, string trainerName, List<LabelledRow> rows)
        => MapLabels(mlContext).Append(TrainerCatalog.Create(trainerName, mlContext)).Fit(SyntheticData.ToDataView(mlContext, rows, Dimension));

    private static IDataView Keyed(MLContext mlContext, List<LabelledRow> rows, int dimension)
    {
        var data = SyntheticData.ToDataView(mlContext, rows, dimension);
        return MapLabels(mlContext).Fit(data).Transform(data);
    }

    /// <summary>The same three classes whatever rows are present, so that models trained on different rows compare.</summary>
    private static IEstimator<ITransformer> MapLabels(MLContext mlContext)
        => mlContext.Transforms.Conversion.MapValueToKey("Label", keyData: mlContext.Data.LoadFromEnumerable(Classes.Select(c => new { Label = c })));
}
