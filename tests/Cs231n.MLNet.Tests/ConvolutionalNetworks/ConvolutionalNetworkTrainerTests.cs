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
        // The default network with fewer epochs, to keep the suite fast: 4 epochs of 2,000 images reach about 0.86 on
        // the 500 held-out test images (12 epochs reach about 0.90; the MLP's defaults about 0.83).
        var model = mlContext.MulticlassClassification.Trainers.ConvolutionalNetwork(imageShape: [1, 28, 28], numberOfEpochs: 4).Fit(key.Transform(train));
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(key.Transform(test)));
        TestContext.WriteLine($"bundled test accuracy {metrics.MicroAccuracy:F4}");
        Assert.IsGreaterThanOrEqualTo(0.82, metrics.MicroAccuracy);
    }

    [TestMethod]
    public void TwoConvNetworkWithWinogradLearnsBundledFashionMnist()
    {
        // The data set's "2 Conv" network, narrowed for the suite; its second 5×5 layer (8 → 16 channels) trains through
        // the Winograd path on AVX-512 processors. 4 epochs of 2,000 images reach about 0.78 on the 500 held-out images
        // (chance: 0.10).
        var mlContext = new MLContext(seed: 1);
        var (train, test) = FashionMnistFiles.Bundled(mlContext);
        var key = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        var options = new ConvolutionalNetworkTrainer.Options
        {
            ImageShape = [1, 28, 28], NumberOfEpochs = 4, BatchSize = 64, LearningRate = 1e-3,
            Layers = [new Convolution(8, 5, Padding: 2), new Activation(), new MaxPooling(2), new Convolution(16, 5, Padding: 2), new Activation(), new MaxPooling(2)],
        };
        var model = mlContext.MulticlassClassification.Trainers.ConvolutionalNetwork(options).Fit(key.Transform(train));
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(key.Transform(test)));
        TestContext.WriteLine($"bundled test accuracy {metrics.MicroAccuracy:F4}");
        Assert.IsGreaterThanOrEqualTo(0.75, metrics.MicroAccuracy);
    }
}
