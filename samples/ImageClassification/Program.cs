// From a folder of images to a saved, reloaded model and a single prediction — see SampleOptions.Usage.
using System.Diagnostics;
using System.Globalization;
using Cs231n.MLNet;
using Cs231n.MLNet.Data;
using ImageClassification;
using Microsoft.ML;
using Microsoft.ML.Data;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

SampleOptions options;
string root;
try
{
    options = SampleOptions.Parse(args);
    if (options.ShowHelp)
    {
        Console.WriteLine(SampleOptions.Usage);
        return 0;
    }
    root = ImageRoot.Resolve(options.ImagesRoot);
}
catch (Exception e) when (e is ArgumentException or DirectoryNotFoundException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(SampleOptions.Usage);
    return 2;
}

var total = Stopwatch.StartNew();
var mlContext = new MLContext(seed: 0);

// 1. The image folders: one row per file, ImagePath + Label (the class folder name).
var clock = Stopwatch.StartNew();
IDataView train = ImageFolder.Load(mlContext, Path.Combine(root, "train"), validateImages: true);
IDataView test = ImageFolder.Load(mlContext, Path.Combine(root, "test"), validateImages: true);
var testEntries = ImageFolder.List(Path.Combine(root, "test"));
Console.WriteLine($"Images: {root}");
Console.WriteLine($"  train {train.GetRowCount()} images, test {test.GetRowCount()} images, " +
    $"{testEntries.Select(e => e.Label).Distinct().Count()} classes (listed and checked in {clock.Elapsed.TotalSeconds:F2} s)");
Console.WriteLine();

// 2. Train and evaluate: our kNN (the model we keep), kNN with cosine distance, our softmax and MLP with their
//    defaults, and a built-in ML.NET trainer for comparison.
var candidates = new (string Name, Func<MLContext, IEstimator<ITransformer>> Trainer)[]
{
    ($"Cs231n kNN (L2, k={options.NumberOfNeighbors})", ml => ml.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: options.NumberOfNeighbors)),
    ($"Cs231n kNN (cosine, k={options.NumberOfNeighbors})", ml => ml.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: options.NumberOfNeighbors, distance: KnnDistance.Cosine)),
    ("Cs231n Softmax", ml => ml.MulticlassClassification.Trainers.Softmax()),
    ("Cs231n MultilayerPerceptron", ml => ml.MulticlassClassification.Trainers.MultilayerPerceptron()),
    ("ML.NET LbfgsMaximumEntropy", ml => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
};
Console.WriteLine($"{"trainer",-32} {"micro acc",10} {"macro acc",10} {"fit s",8} {"eval s",8}");
ITransformer? kept = null;
MulticlassClassificationMetrics? keptMetrics = null;
IDataView? keptScored = null;
foreach (var (name, trainer) in candidates)
{
    clock.Restart();
    ITransformer model = ImagePipeline.Create(mlContext, trainer(mlContext)).Fit(train);
    double fitSeconds = clock.Elapsed.TotalSeconds;
    clock.Restart();
    IDataView scored = model.Transform(test);
    var metrics = mlContext.MulticlassClassification.Evaluate(scored);
    double evalSeconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"{name,-32} {metrics.MicroAccuracy,10:F3} {metrics.MacroAccuracy,10:F3} {fitSeconds,8:F2} {evalSeconds,8:F2}");
    if (kept is null)
    {
        kept = model;
        keptMetrics = metrics;
        keptScored = scored;
    }
}
Console.WriteLine();

// 3. What SubtractMeanImage learned, and the kept model's confusion table.
var meanImage = ((IEnumerable<ITransformer>)kept!).OfType<MeanImageTransformer>().Single();
var mean = meanImage.Mean.Span;
Console.WriteLine($"SubtractMeanImage: mean of {meanImage.TrainingRowCount} training images, {meanImage.FeatureCount} pixels, " +
    $"values {Min(mean):F3}..{Max(mean):F3} (average {Average(mean):F3})");
VBuffer<ReadOnlyMemory<char>> keyValues = default;
keptScored!.Schema[ImageFolder.LabelColumnName].GetKeyValues(ref keyValues);
var classNames = keyValues.DenseValues().Select(v => v.ToString()).ToArray();
Console.WriteLine($"Confusion table of {candidates[0].Name} on the test images:");
Console.WriteLine(ConsoleTables.Confusion(keptMetrics!.ConfusionMatrix, classNames));

// 4. Save, reload in a fresh context, and check the reloaded model scores exactly as the trained one.
clock.Restart();
mlContext.Model.SaveAtomically(kept!, train.Schema, options.ModelPath);
double saveSeconds = clock.Elapsed.TotalSeconds;
clock.Restart();
var reloadContext = new MLContext(seed: 1);
ITransformer reloaded = reloadContext.Model.Load(options.ModelPath, out _);
double loadSeconds = clock.Elapsed.TotalSeconds;
clock.Restart();
var original = Scores(keptScored);
var again = Scores(reloaded.Transform(ImageFolder.Load(reloadContext, Path.Combine(root, "test"))));
bool identical = original.Count == again.Count && original.Zip(again).All(p => p.First.AsSpan().SequenceEqual(p.Second));
Console.WriteLine($"Saved {new FileInfo(options.ModelPath).Length / 1024.0:F0} KiB to {options.ModelPath} in {saveSeconds:F2} s; " +
    $"reloaded in {loadSeconds:F2} s; rescoring {again.Count} test images took {clock.Elapsed.TotalSeconds:F2} s; " +
    $"scores identical to the trained model's: {(identical ? "yes" : "NO")}");
Console.WriteLine();

// 5. One image through a PredictionEngine on the reloaded model.
string imagePath = options.PredictImagePath ?? testEntries[0].Path;
if (!File.Exists(imagePath))
{
    Console.Error.WriteLine($"The image to predict, '{imagePath}', does not exist.");
    return 1;
}
clock.Restart();
var engine = reloadContext.Model.CreatePredictionEngine<ImageInput, ImagePrediction>(reloaded);
var prediction = engine.Predict(new ImageInput { ImagePath = imagePath });
double predictSeconds = clock.Elapsed.TotalSeconds;
VBuffer<ReadOnlyMemory<char>> slotNames = default;
engine.OutputSchema["Score"].GetSlotNames(ref slotNames);
var scoreNames = slotNames.DenseValues().Select(v => v.ToString()).ToArray();
Console.WriteLine($"PredictionEngine on {imagePath}:");
Console.WriteLine($"  predicted class: {prediction.PredictedLabel} (engine created and first prediction in {predictSeconds:F2} s)");
foreach (var (score, index) in prediction.Score.Select((s, i) => (s, i)).OrderByDescending(p => p.s).ThenBy(p => p.i).Take(3))
    Console.WriteLine($"  {scoreNames[index],-14} {score:F3}");
Console.WriteLine();
Console.WriteLine($"Total {total.Elapsed.TotalSeconds:F1} s");
return identical ? 0 : 1;

static List<float[]> Scores(IDataView scored)
    => scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToList();

static float Min(ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.Min(values);

static float Max(ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.Max(values);

static double Average(ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.Sum(values) / values.Length;
