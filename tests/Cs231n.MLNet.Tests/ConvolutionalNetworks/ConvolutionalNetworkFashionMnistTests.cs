using System.Diagnostics;
using Microsoft.ML;
using Cs231n.MLNet.Tests.TestSupport;
using Cs231n.MLNet.Tests.Trainers;

namespace Cs231n.MLNet.Tests.ConvolutionalNetworks;

/// <summary>
/// The convolutional network's target on full Fashion-MNIST (60,000 / 10,000, pixels/255, default options):
/// at least 0.920 test accuracy, and a save → load in a separate process that scores bit-identically. Minutes long,
/// so in the Long category; the Fit time is printed for the record, never asserted (the benchmarks compare it with
/// PyTorch's).
/// </summary>
[TestClass]
[TestCategory("Long")]
public sealed class ConvolutionalNetworkFashionMnistTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void DefaultConvolutionalNetworkReachesNinetyTwoPercent()
    {
        var mlContext = new MLContext(seed: 1);
        var (rawTrain, rawTest) = FashionMnistFiles.Full(mlContext);
        var key = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(rawTrain);
        var train = key.Transform(rawTrain);
        var test = key.Transform(rawTest);
        var clock = Stopwatch.StartNew();
        var model = mlContext.MulticlassClassification.Trainers.ConvolutionalNetwork(imageShape: [1, 28, 28]).Fit(train);
        TestContext.WriteLine($"Fit {clock.Elapsed.TotalSeconds:F1} s");
        var scored = model.Transform(test);
        double accuracy = mlContext.MulticlassClassification.Evaluate(scored).MicroAccuracy;
        TestContext.WriteLine($"test accuracy {accuracy:F4}");
        for (int e = 0; e < model.Model.History.EpochsCompleted; e++)
            TestContext.WriteLine($"epoch {e + 1}: train accuracy {model.Model.History.TrainAccuracies[e]:F4}");
        Assert.IsGreaterThanOrEqualTo(0.920, accuracy);

        string directory = Directory.CreateTempSubdirectory("cs231n-cnn-").FullName;
        try
        {
            string modelPath = Path.Combine(directory, "model.zip");
            mlContext.Model.Save(model, train.Schema, modelPath);
            var firstRows = mlContext.Data.TakeRows(test, 1000);
            TrainerWorkout.AssertSeparateProcessScores(mlContext, modelPath, firstRows, ScoreReader.Scores(model.Transform(firstRows)), directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
