// k-nearest neighbours (CS231n, lecture 2) as an ML.NET trainer: fit, evaluate, predict, and look at the neighbours.
//
//   dotnet run -c Release --project samples/KNearestNeighbors                # from the repository root: data/fashion-mnist
//   dotnet run -c Release --project samples/KNearestNeighbors -- <folder>    # any folder with the Fashion-MNIST IDX files
using Cs231n.MLNet;
using Cs231n.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

string folder = args.Length > 0 ? args[0] : "data/fashion-mnist";
var mlContext = new MLContext(seed: 0);
ImageDataset trainImages = FashionMnist.LoadTrain(folder), testImages = FashionMnist.LoadTest(folder);
IDataView train = trainImages.ToDataView(mlContext);   // Features: 784 floats in [0, 1]; Label: the class name
IDataView test = testImages.ToDataView(mlContext);

// Training only stores the rows; every prediction searches all of them (here with the L1 distance, 5 votes).
// The trainer learns a key-typed label; the class names stay in Label for display.
var pipeline = mlContext.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
    .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(labelColumnName: "LabelKey", numberOfNeighbors: 5, distance: KnnDistance.L1))
    .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
var model = pipeline.Fit(train);

var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test), labelColumnName: "LabelKey");
Console.WriteLine($"Micro accuracy: {metrics.MicroAccuracy:F4}, macro accuracy: {metrics.MacroAccuracy:F4}");

foreach (var row in mlContext.Data.CreateEnumerable<Prediction>(model.Transform(test), reuseRowObject: false).Take(3))
    Console.WriteLine($"  {row.Label,-12} predicted as {row.PredictedLabel}");

// The fitted model is a KNearestNeighborsModelParameters; FindNeighbors is scikit-learn's kneighbors.
var knn = ((ISingleFeaturePredictionTransformer<KNearestNeighborsModelParameters>)model.ElementAt(1)).Model;
float[] firstTestImage = testImages.GetImage(0).ToArray().Select(b => b / 255f).ToArray();
Console.WriteLine($"Nearest training images to the first test image ({testImages.ClassNames[testImages.Labels[0]]}):");
foreach (var neighbor in knn.FindNeighbors(firstTestImage, 5))
    Console.WriteLine($"  row {neighbor.Index,5}  L1 distance {neighbor.Distance,7:F2}  {trainImages.ClassNames[trainImages.Labels[neighbor.Index]]}");

// Expected output on the bundled subset (2,000 training / 500 test images):
//   Micro accuracy: 0.7980, macro accuracy: 0.7980
//     Ankle boot   predicted as Ankle boot
//     Pullover     predicted as Pullover
//     Trouser      predicted as Trouser
//   Nearest training images to the first test image (Ankle boot):
//     row   111  L1 distance   43.41  Ankle boot
//     row   884  L1 distance   43.43  Ankle boot
//     ...

internal sealed class Prediction
{
    public string Label { get; set; } = "";

    public string PredictedLabel { get; set; } = "";
}
