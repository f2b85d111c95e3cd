// The multiclass SVM (CS231n, lecture 3): a linear score s = Wx + b trained on the Weston–Watkins hinge loss,
// set up through its Options, then its learned templates read back from the model.
//
//   dotnet run -c Release --project samples/MulticlassSvm                # from the repository root: data/fashion-mnist
//   dotnet run -c Release --project samples/MulticlassSvm -- <folder>    # any folder with the Fashion-MNIST IDX files
using Cs231n.MLNet;
using Cs231n.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

string folder = args.Length > 0 ? args[0] : "data/fashion-mnist";
var mlContext = new MLContext(seed: 0);
IDataView train = FashionMnist.LoadTrain(folder).ToDataView(mlContext);   // Features: 784 floats in [0, 1]; Label: the class name
IDataView test = FashionMnist.LoadTest(folder).ToDataView(mlContext);

var options = new MulticlassSvmTrainer.Options
{
    Margin = 1.0,              // Δ: how far the right class must score above each wrong one
    L2Regularization = 1e-4,   // λ in ½·λ·‖W‖²
    NumberOfEpochs = 20,
    ValidationFraction = 0.1,  // hold out 10 % of the training rows to record validation accuracy per epoch
};
var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
    .Append(mlContext.MulticlassClassification.Trainers.MulticlassSvm(options));
var model = pipeline.Fit(train);

var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));
Console.WriteLine($"Micro accuracy: {metrics.MicroAccuracy:F4}, macro accuracy: {metrics.MacroAccuracy:F4}");

// The model is a LinearClassifierModelParameters: W (classes × features, row-major), b, and the training history.
var svm = model.LastTransformer.Model;
int classes = svm.Bias.Length, features = svm.Weights.Length / classes;
Console.WriteLine($"W is {classes} × {features}; the class templates are its rows (28 × 28 pictures).");
var history = svm.History;
Console.WriteLine($"Epochs: {history.EpochsCompleted}; train accuracy {history.TrainAccuracies[^1]:F4}, validation accuracy {history.ValidationAccuracies[^1]:F4} after the last one.");

// Key values back to class names: the scores are in the order of the Label key.
VBuffer<ReadOnlyMemory<char>> classNames = default;
model.Transform(test).Schema["Score"].GetSlotNames(ref classNames);
var firstClass = svm.GetClassWeights(0);
Console.WriteLine($"Template of '{classNames.GetItemOrDefault(0)}': weights from {firstClass.ToArray().Min():F3} to {firstClass.ToArray().Max():F3}.");

// Expected output on the bundled subset (2,000 training / 500 test images):
//   Micro accuracy: 0.8200, macro accuracy: 0.8200
//   W is 10 × 784; the class templates are its rows (28 × 28 pictures).
//   Epochs: 20; train accuracy 0.8561, validation accuracy 0.8350 after the last one.
//   Template of 'Ankle boot': weights from -0.154 to 0.153.
