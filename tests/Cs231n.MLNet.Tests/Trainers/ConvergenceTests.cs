using Cs231n.MLNet.Optimization;
using Cs231n.MLNet.Tests.TestSupport;
using Cs231n.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace Cs231n.MLNet.Tests.Trainers;

/// <summary>Convergence-driven training: why it stops, the automatic settings, scale independence, and the refusals.</summary>
[TestClass]
public sealed class ConvergenceTests
{
    [TestMethod]
    public void SmallDataTrainsUntilConvergedAndSaysSo()
    {
        var mlContext = new MLContext(seed: 0);
        var messages = Capture(mlContext);
        var (train, _, _) = TabularData.LoadBundled("iris").Split(mlContext);
        var model = Keyed(mlContext, train).Append(mlContext.MulticlassClassification.Trainers.Softmax()).Fit(train);
        var history = ((MulticlassBatchPredictionTransformer<LinearClassifierModelParameters>)model.LastTransformer).Model.History;

        Assert.AreEqual(TrainingStopReason.Converged, history.StopReason);
        Assert.IsTrue(history.StoppedEarly);
        Assert.IsLessThan(AutomaticTrainingSettings.MostEpochs, history.EpochsCompleted);
        // 105 rows at batch 16: seven updates an epoch, not one.
        Assert.AreEqual(7, history.Losses.Count / history.EpochsCompleted);
        // The plateaus cut the rate by 5, twice, before training counted as converged.
        var rates = history.LearningRates.Distinct().ToArray();
        Assert.HasCount(3, rates);
        Assert.AreEqual(rates[0] * 0.04, rates[2], rates[0] * 1e-9);
        Assert.HasCount(history.EpochsCompleted, history.EpochLosses);
        Assert.IsTrue(messages.Any(m => m.Contains($"converged after {history.EpochsCompleted} epochs", StringComparison.Ordinal)), "the log says why training stopped");
    }

    [TestMethod]
    public void PatienceZeroRunsExactlyTheEpochsAsked()
    {
        var mlContext = new MLContext(seed: 0);
        var (train, _, _) = TabularData.LoadBundled("wine").Split(mlContext);
        var trainer = mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(new MultilayerPerceptronTrainer.Options { NumberOfEpochs = 7, EarlyStoppingPatience = 0 });
        var model = Keyed(mlContext, train).Append(trainer).Fit(train);
        var history = ((MulticlassBatchPredictionTransformer<MultilayerPerceptronModelParameters>)model.LastTransformer).Model.History;
        Assert.AreEqual(7, history.EpochsCompleted);
        Assert.AreEqual(TrainingStopReason.MaximumEpochs, history.StopReason);
        Assert.HasCount(1, history.LearningRates.Distinct());
    }

    [TestMethod]
    public void AutomaticSettingsKeepUpdatesFromCollapsingOnSmallData()
    {
        Assert.AreEqual(10, AutomaticTrainingSettings.BatchSize(10));
        Assert.AreEqual(16, AutomaticTrainingSettings.BatchSize(105));
        Assert.AreEqual(126, AutomaticTrainingSettings.BatchSize(1257));
        Assert.AreEqual(200, AutomaticTrainingSettings.BatchSize(60_000));
        Assert.AreEqual(10, AutomaticTrainingSettings.MaximumEpochs(60_000, 600_000));
        Assert.AreEqual(1000, AutomaticTrainingSettings.MaximumEpochs(105, 600_000));
        Assert.AreEqual(120, AutomaticTrainingSettings.MaximumEpochs(5_000, 600_000));
    }

    [TestMethod]
    [DataRow("Softmax")]
    [DataRow("MulticlassSvm")]
    [DataRow("MultilayerPerceptron")]
    public void TheDefaultsDoNotDependOnTheFeaturesUnits(string trainerName)
    {
        // The same table in three units: the standardised training problem is the same, so are the predictions.
        var table = TabularData.LoadBundled("wine");
        var predictions = new List<uint[]>();
        foreach (float unit in new[] { 1f, 1000f, 0.001f })
        {
            var mlContext = new MLContext(seed: 0);
            var scaled = table.Rows.Select(r => new LabelledRow { Label = r.Label, Features = r.Features.Select(v => v * unit).ToArray() }).ToList();
            var data = SyntheticData.ToDataView(mlContext, scaled, table.FeatureCount);
            var scored = Keyed(mlContext, data).Append(Default(trainerName, mlContext)).Fit(data).Transform(data);
            predictions.Add(ScoreReader.PredictedKeys(scored).ToArray());
        }
        int Differences(uint[] a, uint[] b) => a.Zip(b).Count(p => p.First != p.Second);
        Assert.IsLessThanOrEqualTo(2, Differences(predictions[0], predictions[1]), "×1000");
        Assert.IsLessThanOrEqualTo(2, Differences(predictions[0], predictions[2]), "×0.001");
    }

    [TestMethod]
    public void FeaturesOnScalesOrdersOfMagnitudeApartDrawAWarning()
    {
        var mlContext = new MLContext(seed: 0);
        var messages = Capture(mlContext);
        var raw = SyntheticData.ToDataView(mlContext, TabularData.LoadBundled("breast-cancer").Rows, 30);
        Keyed(mlContext, raw).Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors()).Fit(raw);
        var warning = messages.Single(m => m.Contains("very different scales", StringComparison.Ordinal));
        StringAssert.Contains(warning, "NormalizeMinMax(\"Features\")");
        StringAssert.Contains(warning, "NormalizeMeanVariance");

        messages.Clear();
        var digits = SyntheticData.ToDataView(mlContext, TabularData.LoadBundled("digits").Rows, 64);
        Keyed(mlContext, digits).Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors()).Fit(digits);
        Assert.IsFalse(messages.Any(m => m.Contains("very different scales", StringComparison.Ordinal)), "pixel intensities share a scale");
    }

    [TestMethod]
    [DataRow("Softmax")]
    [DataRow("MulticlassSvm")]
    [DataRow("MultilayerPerceptron")]
    public void AModelThatLearnedNothingIsRefusedWithTheFix(string trainerName)
    {
        // Features that carry nothing: the best any model can do is the majority class, which is no model at all.
        var mlContext = new MLContext(seed: 0);
        var rows = Enumerable.Range(0, 90).Select(i => new LabelledRow { Label = i % 3 == 0 ? "a" : "b", Features = [1f, 2f, 3f] }).ToList();
        var data = SyntheticData.ToDataView(mlContext, rows, 3);
        var error = Assert.ThrowsExactly<ModelLearnedNothingException>(() => Keyed(mlContext, data).Append(Default(trainerName, mlContext)).Fit(data));
        StringAssert.Contains(error.Message, "no better than always predicting the most frequent class (0.6667)");
        StringAssert.Contains(error.Message, "NormalizeMinMax");
        Assert.AreEqual(2.0 / 3, error.MajorityShare, 1e-12);
    }

    [TestMethod]
    public void SmallDataCrossValidatesTheL2PenaltyAndSaysWhichItChose()
    {
        var mlContext = new MLContext(seed: 0);
        var messages = Capture(mlContext);
        var (train, _, _) = TabularData.LoadBundled("wine").Split(mlContext);
        Keyed(mlContext, train).Append(mlContext.MulticlassClassification.Trainers.Softmax()).Fit(train);
        Assert.IsTrue(messages.Any(m => m.Contains("by 3-fold cross-validation", StringComparison.Ordinal)));

        messages.Clear();
        Keyed(mlContext, train).Append(mlContext.MulticlassClassification.Trainers.Softmax(l2Regularization: 0.01)).Fit(train);
        Assert.IsFalse(messages.Any(m => m.Contains("cross-validation", StringComparison.Ordinal)), "a given λ is used as given");
    }

    private static IEstimator<ITransformer> Default(string trainerName, MLContext mlContext) => trainerName switch
    {
        "Softmax" => mlContext.MulticlassClassification.Trainers.Softmax(),
        "MulticlassSvm" => mlContext.MulticlassClassification.Trainers.MulticlassSvm(),
        _ => mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(),
    };

    private static IEstimator<ITransformer> Keyed(MLContext mlContext, IDataView _) => mlContext.Transforms.Conversion.MapValueToKey("Label");

    private static List<string> Capture(MLContext mlContext)
    {
        var messages = new List<string>();
        mlContext.Log += (_, e) =>
        {
            if (e.Kind is ChannelMessageKind.Info or ChannelMessageKind.Warning)
            {
                lock (messages)
                    messages.Add(e.Message);
            }
        };
        return messages;
    }
}
