// CS231n's first experiment: choose k and the distance of a k-nearest-neighbours classifier by 5-fold
// cross-validation, then measure the chosen setting once on the test set.
//
//   dotnet run -c Release --project samples/KnnCrossValidation                 # the bundled 2,000/500 subset
//   dotnet run -c Release --project samples/KnnCrossValidation -- --full       # Debian's dataset-fashion-mnist (60k/10k)
//   dotnet run -c Release --project samples/KnnCrossValidation -- --chart cv.png
using System.Diagnostics;
using System.Globalization;
using Cs231n.MLNet;
using Cs231n.MLNet.Data;
using Cs231n.MLNet.Samples;
using Cs231n.MLNet.Reporting;
using Cs231n.MLNet.Tuning;
using Microsoft.ML;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
bool full = args.Contains("--full");
string? chartPath = args.SkipWhile(a => a != "--chart").Skip(1).FirstOrDefault();

ImageDataset train, test;
if (full)
{
    if (!FashionMnist.TryFindInstalled(out string directory))
    {
        Console.Error.WriteLine("Full Fashion-MNIST is not installed. Install it with: apt-get install dataset-fashion-mnist");
        return 1;
    }
    train = FashionMnist.LoadTrain(directory);
    test = FashionMnist.LoadTest(directory);
}
else
{
    train = BundledData.FashionMnistTrain();
    test = BundledData.FashionMnistTest();
}
Console.WriteLine($"Fashion-MNIST {(full ? "(full)" : "(bundled subset)")}: {train.Count} training and {test.Count} test images.");

var mlContext = new MLContext(seed: 0);
IDataView trainData = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(train.ToDataView(mlContext)).Transform(train.ToDataView(mlContext));
trainData = mlContext.Data.Cache(trainData);

var grid = new ParameterGrid()
    .Add("k", 1, 3, 5, 8, 10, 12, 15, 20)
    .Add("distance", KnnDistance.L1, KnnDistance.L2);
var search = new ParameterSearch(mlContext);
var progress = new Progress<ParameterSearchProgress>(p =>
{
    if (p.Score != null)
        Console.WriteLine($"  [{p.CompletedSettings}/{p.SettingCount}] {p.Setting}: {p.Score.MicroAccuracy}");
});
var stopwatch = Stopwatch.StartNew();
var result = search.CrossValidate(trainData, grid.Settings(),
    setting => mlContext.MulticlassClassification.Trainers.KNearestNeighbors(
        numberOfNeighbors: setting.Get<int>("k"), distance: setting.Get<KnnDistance>("distance")),
    new ParameterSearchOptions { NumberOfFolds = 5 }, progress);
Console.WriteLine($"5-fold cross-validation of {grid.Count} settings took {stopwatch.Elapsed.TotalSeconds:F1} s.");
Console.WriteLine();
Console.WriteLine("   k  distance  accuracy (mean ± std over folds)");
foreach (var score in result.Scores)
    Console.WriteLine($"{score.Setting.Get<int>("k"),4}  {score.Setting.Get<KnnDistance>("distance"),-8}  {score.MicroAccuracy}");
var best = result.Best.Setting;
Console.WriteLine($"Best: k={best.Get<int>("k")}, distance={best.Get<KnnDistance>("distance")} ({result.Best.MicroAccuracy}).");

if (chartPath != null)
{
    CrossValidationChart.Save(chartPath, result, "k");
    Console.WriteLine($"Wrote {chartPath}.");
}

// The chosen setting, trained on all training data, measured once on the test set.
var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
    .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: best.Get<int>("k"), distance: best.Get<KnnDistance>("distance")));
stopwatch.Restart();
var model = pipeline.Fit(train.ToDataView(mlContext));
double fitSeconds = stopwatch.Elapsed.TotalSeconds;
stopwatch.Restart();
var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test.ToDataView(mlContext)));
Console.WriteLine($"Test accuracy with the chosen setting: {metrics.MicroAccuracy:F4} (fit {fitSeconds:F2} s, predict + evaluate {stopwatch.Elapsed.TotalSeconds:F2} s).");
return 0;
