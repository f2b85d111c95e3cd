using System.Diagnostics;
using System.Globalization;
using Compare.Contenders;
using Compare.Datasets;
using Compare.Display;
using Cs231n.MLNet;
using Cs231n.MLNet.Data;
using Cs231n.MLNet.Reporting;
using Cs231n.MLNet.Tuning;
using Microsoft.ML;

namespace Compare.Running;

/// <summary>
/// Tunes, trains and tests every contender on the same split: the search on (a subset of) the training rows,
/// the final fit on all training rows, one measurement on the test rows.
/// </summary>
internal sealed class ComparisonRunner(MLContext mlContext, IRunDisplay display, string outputFolder, int maximumCrossValidationRows, CancellationToken cancellationToken)
{
    /// <summary>The share of the training rows held out as validation data by validation-split searches.</summary>
    private const double ValidationShare = 0.2;

    /// <summary>The column the saved pipeline writes the predicted class name to.</summary>
    public const string PredictedClassColumnName = "PredictedClass";

    public ComparisonOutcome Run(ComparisonData data, IReadOnlyList<Contender> contenders)
    {
        var total = Stopwatch.StartNew();
        var labelToKey = LabelToKey(data.ClassNames);
        // As in CS231n: k-NN, whose every fold scores all held-out rows against all others, is cross-validated on a
        // subset; the gradient-trained models are tuned on all training rows minus a validation split, because the
        // best regularisation shrinks as the data grows and a small subset's choice would not transfer.
        var crossValidationImages = CrossValidationSubset(data.Train);
        var crossValidationData = Keyed(labelToKey, crossValidationImages);
        var train = data.Train.ToDataView(mlContext);
        var split = mlContext.Data.TrainTestSplit(Keyed(labelToKey, data.Train), ValidationShare, seed: 0);
        var test = data.Test.ToDataView(mlContext);
        var pictures = new PictureContext(outputFolder, data.ClassNames, data.Train.Height, data.Train.Width, data.Train.Channels);

        display.Info(FormattableString.Invariant(
            $"k-NN is cross-validated on {crossValidationImages.Count:N0} training rows; the other searches hold out 20% of all {data.Train.Count:N0}; final models train on all of them and are tested once on {data.Test.Count:N0}."));
        var results = new List<ContenderResult>();
        var failures = new List<(Contender, string)>();
        display.Track(contenders.Select(c => c.DisplayName).ToArray(), tracker =>
        {
            foreach (var contender in contenders)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var progress = tracker(contender.DisplayName);
                try
                {
                    var result = RunOne(contender, labelToKey, crossValidationData, split, train, test, pictures, progress);
                    results.Add(result);
                    progress.Finish(FormattableString.Invariant($"test accuracy {result.TestMetrics.MicroAccuracy:0.0000}"));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One broken contender should not hide the others' results; the run still ends with exit code 1.
                    var reason = (e is InvalidOperationException && e.InnerException is { } inner ? inner : e).Message;
                    failures.Add((contender, reason));
                    progress.Fail(reason);
                }
            }
        });
        return new ComparisonOutcome(results, failures, crossValidationImages.Count, total.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Maps class names to keys in the data set's class order (not order of first appearance), so key k is class
    /// k − 1 everywhere: in the confusion matrix, the weight templates and the scores.
    /// </summary>
    public IEstimator<ITransformer> LabelToKey(IReadOnlyList<string> classNames) =>
        mlContext.Transforms.Conversion.MapValueToKey(ImageDataset.LabelColumnName,
            keyData: mlContext.Data.LoadFromEnumerable(classNames.Select(name => new ClassNameRow { Label = name })));

    private ImageDataset CrossValidationSubset(ImageDataset train) =>
        train.Count <= maximumCrossValidationRows ? train : train.TakeFirstPerClass(Math.Max(1, maximumCrossValidationRows / train.ClassNames.Length));

    private IDataView Keyed(IEstimator<ITransformer> labelToKey, ImageDataset images)
    {
        var view = images.ToDataView(mlContext);
        return mlContext.Data.Cache(labelToKey.Fit(view).Transform(view));
    }

    private ContenderResult RunOne(Contender contender, IEstimator<ITransformer> labelToKey, IDataView crossValidationData,
        DataOperationsCatalog.TrainTestData split, IDataView train, IDataView test, PictureContext pictures, ITaskProgress progress)
    {
        const int stepsAfterSearch = 3;
        progress.Start((contender.Search?.Settings.Count ?? 0) + stepsAfterSearch);
        var status = new SynchronousProgress<string>(progress.Status);

        ParameterSearchResult? search = null;
        if (contender.Search is { } plan)
            search = Search(contender, plan, crossValidationData, split, progress, status);
        var setting = search?.Best.Setting;

        progress.Status("training the final model on all training rows");
        var pipeline = labelToKey
            .Append(contender.CreateTrainer(new TrainerRequest(setting, TrainerRole.Final, status)))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(PredictedClassColumnName, "PredictedLabel"));
        var watch = Stopwatch.StartNew();
        var model = pipeline.Fit(train);
        double fitSeconds = watch.Elapsed.TotalSeconds;
        progress.Step(FormattableString.Invariant($"fitted {contender.DescribeSetting(setting)} in {fitSeconds:0.00} s"));

        progress.Status("scoring the test set");
        watch.Restart();
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));
        double predictSeconds = watch.Elapsed.TotalSeconds;
        long size = SavedSize(model, train.Schema, contender.Slug);
        progress.Step(FormattableString.Invariant(
            $"test micro accuracy {metrics.MicroAccuracy:0.0000}, macro {metrics.MacroAccuracy:0.0000} (scored in {predictSeconds:0.00} s; saved model {LeaderboardText.Bytes(size)})"));

        progress.Status("drawing pictures");
        var drawn = new List<Picture>();
        if (search is not null)
            drawn.Add(SearchChart(contender, contender.Search!, search, pictures));
        if (contender.DrawPictures is { } draw)
            drawn.AddRange(draw(TrainedModelParameters(model), pictures));
        progress.Step($"{drawn.Count} picture(s)");

        return new ContenderResult
        {
            Contender = contender,
            Search = search,
            Setting = setting,
            Model = model,
            TestMetrics = metrics,
            FitSeconds = fitSeconds,
            PredictSeconds = predictSeconds,
            ModelSizeBytes = size,
            Pictures = drawn,
        };
    }

    private ParameterSearchResult Search(Contender contender, SearchPlan plan, IDataView crossValidationData, DataOperationsCatalog.TrainTestData split,
        ITaskProgress progress, IProgress<string> status)
    {
        var searchProgress = new SynchronousProgress<ParameterSearchProgress>(p =>
        {
            if (p.Score is null)
                progress.Status(FormattableString.Invariant($"setting {p.SettingIndex + 1}/{p.SettingCount}: {p.Setting}"));
            else
                progress.Step(plan.Mode == SearchMode.CrossValidation
                    ? FormattableString.Invariant($"{p.Setting}: cross-validated accuracy {p.Score.MicroAccuracy} ({p.Score.Duration.TotalSeconds:0.0} s)")
                    : FormattableString.Invariant($"{p.Setting}: validation accuracy {p.Score.MicroAccuracy.Mean:0.0000} ({p.Score.Duration.TotalSeconds:0.0} s)"));
        });
        var search = new ParameterSearch(mlContext);
        IEstimator<ITransformer> Factory(ParameterSetting s) => contender.CreateTrainer(new TrainerRequest(s, TrainerRole.Tuning, status));
        var result = plan.Mode == SearchMode.CrossValidation
            ? search.CrossValidate(crossValidationData, plan.Settings, Factory, new ParameterSearchOptions { NumberOfFolds = 5 }, searchProgress, cancellationToken)
            : search.TrainValidate(split.TrainSet, split.TestSet, plan.Settings, Factory, progress: searchProgress, cancellationToken: cancellationToken);
        progress.Status($"best: {result.Best.Setting}");
        return result;
    }

    private Picture SearchChart(Contender contender, SearchPlan plan, ParameterSearchResult search, PictureContext pictures)
    {
        string path = pictures.PathOf($"{contender.Slug}-search.png");
        string how = plan.Mode == SearchMode.CrossValidation
            ? $"{search.Scores[0].FoldMetrics.Count}-fold cross-validated accuracy (dots: folds; bars: ± one standard deviation)"
            : "validation accuracy";
        if (!plan.LogScaleHint)
        {
            CrossValidationChart.Save(path, search, plan.ChartParameter);
            return new Picture($"{contender.DisplayName}: {how} against {plan.ChartParameter}, one line per other setting", path);
        }
        // Learning rates and penalties span decades: plotting their logarithm spaces the tried values evenly.
        var lines = new List<CrossValidationSeries>();
        foreach (var score in search.Scores)
        {
            string name = string.Join(", ", score.Setting.Where(p => p.Key != plan.ChartParameter).Select(p => $"{p.Key}={ParameterSetting.Format(p.Value)}"));
            var line = lines.FirstOrDefault(l => l.Name == name) ?? AddLine(lines, name);
            line.Add(Math.Log10(score.Setting.Get<double>(plan.ChartParameter)), score.MicroAccuracy.PerFold);
        }
        CrossValidationChart.Save(path, lines, $"log10({plan.ChartParameter})", "Validation accuracy",
            new ChartOptions { Title = $"{contender.DisplayName}: validation accuracy vs {plan.ChartParameter}" });
        return new Picture($"{contender.DisplayName}: {how} against log10({plan.ChartParameter}), one line per other setting", path);
    }

    private static CrossValidationSeries AddLine(List<CrossValidationSeries> lines, string name)
    {
        var line = new CrossValidationSeries(name);
        lines.Add(line);
        return line;
    }

    /// <summary>The model parameters of the pipeline's trainer (the one prediction transformer in the chain).</summary>
    private static object TrainedModelParameters(ITransformer pipeline) =>
        PredictionTransformers(pipeline).Single().Model;

    private static IEnumerable<IPredictionTransformer<object>> PredictionTransformers(ITransformer transformer) => transformer switch
    {
        IPredictionTransformer<object> prediction => [prediction],
        IEnumerable<ITransformer> chain => chain.SelectMany(PredictionTransformers),
        _ => [],
    };

    private long SavedSize(ITransformer model, DataViewSchema schema, string slug)
    {
        string path = Path.Combine(outputFolder, $".{slug}-size-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.zip");
        try
        {
            mlContext.Model.SaveAtomically(model, schema, path);
            return new FileInfo(path).Length;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class ClassNameRow
    {
        public string Label { get; set; } = "";
    }
}
