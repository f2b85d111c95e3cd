// Softmax regression (CS231n, lecture 3): the linear score s = Wx + b with the cross-entropy loss; its Score column
// holds class probabilities, and the model keeps CS231n's solver history.
//
//   dotnet run -c Release --project samples/Softmax                # from the repository root: data/fashion-mnist
//   dotnet run -c Release --project samples/Softmax -- <folder>    # any folder with the Fashion-MNIST IDX files
using Cs231n.MLNet;
using Cs231n.MLNet.Data;
using Microsoft.ML;

string folder = args.Length > 0 ? args[0] : "data/fashion-mnist";
var mlContext = new MLContext(seed: 0);
IDataView train = FashionMnist.LoadTrain(folder).ToDataView(mlContext);   // Features: 784 floats in [0, 1]; Label: the class name
IDataView test = FashionMnist.LoadTest(folder).ToDataView(mlContext);

// The trainer learns a key-typed label; the class names stay in Label for display.
var pipeline = mlContext.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
    .Append(mlContext.MulticlassClassification.Trainers.Softmax(labelColumnName: "LabelKey", numberOfEpochs: 20, l2Regularization: 1e-4))
    .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
var model = pipeline.Fit(train);

var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test), labelColumnName: "LabelKey");
Console.WriteLine($"Micro accuracy: {metrics.MicroAccuracy:F4}, log-loss: {metrics.LogLoss:F4}");

// Score is a probability distribution over the classes (in the order of the Label key).
foreach (var row in mlContext.Data.CreateEnumerable<Prediction>(model.Transform(test), reuseRowObject: false).Take(3))
    Console.WriteLine($"  {row.Label,-12} predicted as {row.PredictedLabel,-12} with probability {row.Score.Max():F3} (scores sum to {row.Score.Sum():F3})");

// The model keeps the loss of every minibatch and the accuracy after every epoch.
var softmax = ((ISingleFeaturePredictionTransformer<LinearClassifierModelParameters>)model.ElementAt(1)).Model;
var history = softmax.History;
Console.WriteLine($"Loss: {history.Losses[0]:F3} on the first minibatch, {history.Losses[^1]:F3} on the last; " +
    $"train accuracy after each epoch: {string.Join(" ", history.TrainAccuracies.Select(a => a.ToString("F2")))}");

// Expected output on the bundled subset (2,000 training / 500 test images):
//   Micro accuracy: 0.8200, log-loss: 0.4755
//     Ankle boot   predicted as Ankle boot   with probability 0.548 (scores sum to 1.000)
//     Pullover     predicted as Pullover     with probability 0.928 (scores sum to 1.000)
//     Trouser      predicted as Trouser      with probability 1.000 (scores sum to 1.000)
//   Loss: 2.302 on the first minibatch, 0.280 on the last; train accuracy after each epoch: 0.72 0.79 0.82 … 0.88

internal sealed class Prediction
{
    public string Label { get; set; } = "";

    public string PredictedLabel { get; set; } = "";

    public float[] Score { get; set; } = [];
}
