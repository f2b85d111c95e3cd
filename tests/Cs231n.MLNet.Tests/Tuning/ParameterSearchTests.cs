using Cs231n.MLNet.Tuning;
using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace Cs231n.MLNet.Tests.Tuning;

[TestClass]
public sealed class ParameterSearchTests
{
    private static readonly ParameterGrid ColumnAndL2Grid =
        new ParameterGrid().Add("features", "Noise", "Features").Add("l2", 0.01f, 1f);

    private static IEstimator<ITransformer> Sdca(MLContext mlContext, ParameterSetting s) =>
        BlobData.LabelToKey(mlContext).Append(mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy(
            new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                FeatureColumnName = s.Get<string>("features"),
                L2Regularization = s.Get<float>("l2"),
                NumberOfThreads = 1,
                MaximumNumberOfIterations = 30,
            }));

    private static IEstimator<ITransformer> Lbfgs(MLContext mlContext) =>
        BlobData.LabelToKey(mlContext).Append(mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy());

    [TestMethod]
    public void CrossValidate_PicksTheInformativeFeatures_AndSummarisesEveryFold()
    {
        var mlContext = new MLContext(seed: 1);
        var data = BlobData.Create(mlContext, rowsPerClass: 60);
        var progress = new RecordingProgress();

        var result = new ParameterSearch(mlContext).CrossValidate(
            data, ColumnAndL2Grid.Settings(), s => Sdca(mlContext, s), new ParameterSearchOptions { NumberOfFolds = 4 }, progress);

        Assert.AreEqual(SearchMode.CrossValidation, result.Mode);
        Assert.HasCount(4, result.Scores);
        Assert.AreEqual("Features", result.Best.Setting.Get<string>("features"));
        Assert.IsGreaterThan(0.9, result.Best.MicroAccuracy.Mean);
        foreach (var score in result.Scores.Where(s => s.Setting.Get<string>("features") == "Noise"))
            Assert.IsLessThan(0.6, score.MicroAccuracy.Mean, $"noise features cannot predict the label: {score}");
        foreach (var score in result.Scores)
        {
            Assert.HasCount(4, score.MicroAccuracy.PerFold);
            Assert.HasCount(4, score.FoldMetrics);
            Assert.AreEqual(score.MicroAccuracy.PerFold.Average(), score.MicroAccuracy.Mean, 1e-12);
            var mean = score.MacroAccuracy.Mean;
            var populationStd = Math.Sqrt(score.MacroAccuracy.PerFold.Select(v => (v - mean) * (v - mean)).Average());
            Assert.AreEqual(populationStd, score.MacroAccuracy.StandardDeviation, 1e-12);
            Assert.IsGreaterThan(TimeSpan.Zero, score.Duration);
        }
        Assert.IsGreaterThanOrEqualTo(result.Scores.Sum(s => s.Duration.Ticks), result.Duration.Ticks);
        Assert.IsNull(result.BestModel);

        Assert.HasCount(8, progress.Reports);
        Assert.IsNull(progress.Reports[0].Score);
        Assert.AreEqual(4, progress.Reports[^1].CompletedSettings);
        Assert.AreSame(result.Scores[3], progress.Reports[^1].Score);
    }

    [TestMethod]
    public void CrossValidate_ScoresEverySettingOnTheSameFolds_SoTiesGoToTheFirstSetting()
    {
        var mlContext = new MLContext(seed: 1);
        var data = BlobData.Create(mlContext, rowsPerClass: 30, noise: 1.5f);
        var ignored = new ParameterGrid().Add("ignored", 1, 2, 3);

        var result = new ParameterSearch(mlContext).CrossValidate(data, ignored.Settings(), _ => Lbfgs(mlContext), new ParameterSearchOptions { NumberOfFolds = 3 });

        var first = result.Scores[0].MicroAccuracy.PerFold;
        foreach (var score in result.Scores)
            CollectionAssert.AreEqual(first.ToArray(), score.MicroAccuracy.PerFold.ToArray());
        Assert.AreEqual(0, result.Best.Index);
    }

    [TestMethod]
    public void TrainValidate_PicksTheInformativeFeatures_ByLogLoss_AndKeepsTheBestModel()
    {
        var mlContext = new MLContext(seed: 1);
        var train = BlobData.Create(mlContext, rowsPerClass: 50, seed: 1);
        var validation = BlobData.Create(mlContext, rowsPerClass: 30, seed: 2);

        var result = new ParameterSearch(mlContext).TrainValidate(
            train, validation, ColumnAndL2Grid.Settings(), s => Sdca(mlContext, s), new ParameterSearchOptions { SelectionMetric = SearchMetric.LogLoss });

        Assert.AreEqual(SearchMode.ValidationSplit, result.Mode);
        Assert.AreEqual("Features", result.Best.Setting.Get<string>("features"));
        Assert.AreEqual(result.Scores.Min(s => s.LogLoss.Mean), result.Best.LogLoss.Mean);
        Assert.HasCount(1, result.Best.MicroAccuracy.PerFold);
        Assert.AreEqual(0, result.Best.MicroAccuracy.StandardDeviation);
        Assert.IsNotNull(result.BestModel);
        var metrics = mlContext.MulticlassClassification.Evaluate(result.BestModel.Transform(validation));
        Assert.AreEqual(result.Best.MicroAccuracy.Mean, metrics.MicroAccuracy, 1e-12);
    }

    [TestMethod]
    public void InvalidSearches_AreRejectedWithPreciseMessages()
    {
        var mlContext = new MLContext(seed: 1);
        var data = BlobData.Create(mlContext, rowsPerClass: 5);
        var search = new ParameterSearch(mlContext);
        var settings = new ParameterGrid().Add("l2", 0.1f).Settings();

        var folds = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            search.CrossValidate(data, settings, _ => Lbfgs(mlContext), new ParameterSearchOptions { NumberOfFolds = 1 }));
        StringAssert.Contains(folds.Message, "The 'NumberOfFolds' option must be at least 2; got 1.");

        var tooFewRows = Assert.ThrowsExactly<ArgumentException>(() =>
            search.CrossValidate(data, settings, _ => Lbfgs(mlContext), new ParameterSearchOptions { NumberOfFolds = 20 }));
        StringAssert.Contains(tooFewRows.Message, "The data has 15 rows, fewer than the 20 folds");

        var empty = Assert.ThrowsExactly<ArgumentException>(() => search.CrossValidate(data, [], _ => Lbfgs(mlContext)));
        StringAssert.Contains(empty.Message, "There are no settings to search");

        var samplingKey = Assert.ThrowsExactly<ArgumentException>(() =>
            search.CrossValidate(data, settings, _ => Lbfgs(mlContext), new ParameterSearchOptions { SamplingKeyColumnName = "Photo" }));
        StringAssert.Contains(samplingKey.Message, "no column 'Photo' (the 'SamplingKeyColumnName' option); its columns are: Label, Features, Noise");

        var nullEstimator = Assert.ThrowsExactly<InvalidOperationException>(() => search.TrainValidate(data, data, settings, _ => null!));
        StringAssert.Contains(nullEstimator.Message, "returned null for setting 0 (l2=0.1)");

        var badLabel = Assert.ThrowsExactly<InvalidOperationException>(() =>
            search.TrainValidate(data, data, settings, _ => Lbfgs(mlContext), new ParameterSearchOptions { LabelColumnName = "Class" }));
        StringAssert.Contains(badLabel.Message, "setting 0 (l2=0.1) failed");
    }

    [TestMethod]
    public void Cancellation_StopsBetweenSettings()
    {
        var mlContext = new MLContext(seed: 1);
        var data = BlobData.Create(mlContext, rowsPerClass: 10);
        using var cancellation = new CancellationTokenSource();
        var trained = 0;

        Assert.ThrowsExactly<OperationCanceledException>(() => new ParameterSearch(mlContext).TrainValidate(
            data, data, new ParameterGrid().Add("n", 1, 2, 3).Settings(),
            _ => { trained++; cancellation.Cancel(); return Lbfgs(mlContext); },
            cancellationToken: cancellation.Token));
        Assert.AreEqual(1, trained);
    }

    private sealed class RecordingProgress : IProgress<ParameterSearchProgress>
    {
        public List<ParameterSearchProgress> Reports { get; } = [];

        public void Report(ParameterSearchProgress value) => Reports.Add(value);
    }
}
