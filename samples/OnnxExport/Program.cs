// Train with ML.NET, export to ONNX, serve with ONNX Runtime: for the softmax classifier, a multilayer perceptron,
// k-nearest neighbours and a convolutional network, the sample fits a pipeline on Fashion-MNIST, converts it with ConvertToOnnx, scores the
// test set with ONNX Runtime's InferenceSession (no ML.NET on that side) and prints how well the answers agree.
//
//   dotnet run -c Release --project samples/OnnxExport                       # the bundled 2,000/500 subset
//   dotnet run -c Release --project samples/OnnxExport -- --full             # Debian's dataset-fashion-mnist (60k/10k; the CNN trains for minutes)
//   dotnet run -c Release --project samples/OnnxExport -- --output models    # where the .onnx files go
using System.Diagnostics;
using System.Globalization;
using Cs231n.MLNet;
using Cs231n.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using OnnxExport;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
bool full = args.Contains("--full");
string output = args.SkipWhile(a => a != "--output").Skip(1).FirstOrDefault() ?? "onnx-models";
Directory.CreateDirectory(output);

ImageDataset train, test;
if (full)
{
    if (!FashionMnist.TryFindInstalled(out string directory))
    {
        Console.Error.WriteLine("Full Fashion-MNIST is not installed. Install it with: apt-get install dataset-fashion-mnist");
        return 1;
    }
    (train, test) = (FashionMnist.LoadTrain(directory), FashionMnist.LoadTest(directory));
}
else
{
    // The repository's data/fashion-mnist, found from the working directory upwards (run from inside the clone).
    string? bundled = null;
    for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null && bundled is null; folder = folder.Parent)
        bundled = Directory.Exists(Path.Combine(folder.FullName, "data", "fashion-mnist")) ? Path.Combine(folder.FullName, "data", "fashion-mnist") : null;
    if (bundled is null)
    {
        Console.Error.WriteLine("The bundled data/fashion-mnist folder was not found; run from inside the repository, or pass --full.");
        return 1;
    }
    (train, test) = (FashionMnist.LoadTrain(bundled), FashionMnist.LoadTest(bundled));
}
Console.WriteLine($"Fashion-MNIST {(full ? "(full)" : "(bundled subset)")}: {train.Count} training and {test.Count} test images.");

var mlContext = new MLContext(seed: 0);
var trainView = train.ToDataView(mlContext);
var testView = test.ToDataView(mlContext);
int width = ((VectorDataViewType)trainView.Schema["Features"].Type).Size;

// The label is turned into a key only for training; the exported model starts at the pixel vectors, so a serving
// host feeds "Features" alone. The exporter takes the columns of the export view's root for the graph's inputs, so
// that view is a cache of Features alone.
var labelToKey = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(trainView);
var keyedTrain = mlContext.Data.Cache(labelToKey.Transform(trainView));
var featuresOnly = mlContext.Data.Cache(mlContext.Transforms.SelectColumns("Features").Fit(trainView).Transform(trainView));

var models = new (string Name, IEstimator<ITransformer> Trainer)[]
{
    ("softmax", mlContext.MulticlassClassification.Trainers.Softmax()),
    ("mlp", mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(hiddenLayerSizes: [100])),
    ("knn", mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5)),
    // SubtractMeanImage keeps the length but not the 1×28×28 shape, so the network is told it.
    ("cnn", mlContext.MulticlassClassification.Trainers.ConvolutionalNetwork(imageShape: [1, 28, 28])),
};

float[] testFeatures = test.ToDataView(mlContext).GetColumn<VBuffer<float>>("Features").SelectMany(v => v.DenseValues()).ToArray();
Console.WriteLine();
Console.WriteLine($"{"model",-8} {"file",10} {"accuracy",9} {"labels equal",14} {"max |Δ score|",14} {"ONNX Runtime",13} {"ours",8}");
foreach (var (name, trainer) in models)
{
    var scoring = mlContext.Transforms.SubtractMeanImage("Features")
        .Append(trainer)
        .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
        .Fit(keyedTrain);

    string path = Path.Combine(output, $"fashion-mnist-{name}.onnx");
    using (var stream = File.Create(path))
        mlContext.Model.ConvertToOnnx(scoring, featuresOnly, stream);

    var clock = Stopwatch.StartNew();
    var ours = scoring.Transform(testView);
    var ourLabels = ours.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(l => l.ToString()).ToArray();
    var ourScores = ours.GetColumn<VBuffer<float>>("Score").Select(s => s.DenseValues().ToArray()).ToArray();
    double ourSeconds = clock.Elapsed.TotalSeconds;

    using var scorer = new OnnxScorer(path);
    if (!scorer.Inputs.Keys.SequenceEqual(["Features"]))
    {
        Console.Error.WriteLine($"{name}: the graph's inputs are {string.Join(", ", scorer.Inputs.Keys)}, not Features alone.");
        return 2;
    }
    clock.Restart();
    var (labels, scores) = scorer.Score(testFeatures, test.Count, width);
    double onnxSeconds = clock.Elapsed.TotalSeconds;

    int equal = labels.Zip(ourLabels).Count(p => p.First == p.Second);
    float maxDifference = scores.Zip(ourScores).Max(p => p.First.Zip(p.Second).Max(v => Math.Abs(v.First - v.Second)));
    var truth = test.ToDataView(mlContext).GetColumn<ReadOnlyMemory<char>>("Label").Select(l => l.ToString()).ToArray();
    double accuracy = labels.Zip(truth).Count(p => p.First == p.Second) / (double)test.Count;
    Console.WriteLine($"{name,-8} {new FileInfo(path).Length / 1024.0,7:F0} KB {accuracy,9:P1} {equal,7}/{test.Count,-6} {maxDifference,14:E1} {onnxSeconds,11:F2} s {ourSeconds,6:F2} s");
    if (equal != test.Count || maxDifference > 1e-4f)
    {
        Console.Error.WriteLine($"{name}: the ONNX model disagrees with ours.");
        return 2;
    }
}
Console.WriteLine();
Console.WriteLine($"The models are in {Path.GetFullPath(output)}. Their one input is \"Features\": N×{width} floats, pixels/255 in row-major order.");
Console.WriteLine("Times are one first call each (ONNX Runtime: the whole test set in one Run; ours: Transform and read), not a benchmark.");
return 0;
