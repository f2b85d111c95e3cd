using Microsoft.ML;
using Cs231n.MLNet.ConvolutionalNetworks;
using Cs231n.MLNet.Tests.Trainers;

namespace Cs231n.MLNet.Tests.ConvolutionalNetworks;

[TestClass]
public sealed class ConvolutionalNetworkTrainerTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void DefaultsLearnBundledFashionMnist()
    {
        var mlContext = new MLContext(seed: 1);
        var (train, test) = FashionMnistFiles.Bundled(mlContext);
        var key = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = mlContext.MulticlassClassification.Trainers.ConvolutionalNetwork(imageShape: [1, 28, 28]).Fit(key.Transform(train));
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(key.Transform(test)));
        TestContext.WriteLine($"bundled test accuracy {metrics.MicroAccuracy:F4} in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var acc in model.Model.History.TrainAccuracies)
            TestContext.WriteLine($"train acc {acc:F4}");
        Assert.IsGreaterThanOrEqualTo(0.80, metrics.MicroAccuracy);
    }
}
