using Microsoft.ML;
using Cs231n.MLNet.ConvolutionalNetworks;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.ConvolutionalNetworks;

[TestClass]
public sealed class ConvolutionalNetworkBadInputTests
{
    private static IDataView Rows(MLContext mlContext, int features)
    {
        var data = SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(6, 2, features, 1f, seed: 1), features);
        return mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    [TestMethod]
    public void ShapesThatDoNotFitTheFeaturesAreNamed()
    {
        var mlContext = new MLContext(seed: 0);
        var trainers = mlContext.MulticlassClassification.Trainers;
        var wrong = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainers.ConvolutionalNetwork(imageShape: [1, 5, 5]).Fit(Rows(mlContext, 20)));
        StringAssert.Contains(wrong.Message, "The image shape [1, 5, 5] holds 25 values but feature column 'Features' has 20 per row");
        var unknown = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainers.ConvolutionalNetwork().Fit(Rows(mlContext, 20)));
        StringAssert.Contains(unknown.Message, "Feature column 'Features' has 20 values per row and declares no image dimensions");
        StringAssert.Contains(unknown.Message, "pass imageShape: [channels, height, width]");
        var badShape = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainers.ConvolutionalNetwork(imageShape: [1, 0, 5]));
        StringAssert.Contains(badShape.Message, "must hold three positive numbers [channels, height, width]");
    }

    [TestMethod]
    public void LayersThatDoNotFitAreNamed()
    {
        var mlContext = new MLContext(seed: 0);
        var trainers = mlContext.MulticlassClassification.Trainers;
        var tooLarge = Assert.ThrowsExactly<ArgumentException>(() => trainers.ConvolutionalNetwork(new ConvolutionalNetworkTrainer.Options
        {
            ImageShape = [1, 4, 4], Layers = [new Convolution(4, 3), new MaxPooling(2), new Convolution(4, 5, Padding: 0)],
        }).Fit(Rows(mlContext, 16)));
        StringAssert.Contains(tooLarge.Message, "Layer 2 (Convolution { Filters = 4, KernelSize = 5");
        StringAssert.Contains(tooLarge.Message, "does not fit a 2×2 image padded by 0");
        var afterDense = Assert.ThrowsExactly<ArgumentException>(() => trainers.ConvolutionalNetwork(new ConvolutionalNetworkTrainer.Options
        {
            ImageShape = [1, 4, 4], Layers = [new FullyConnected(8), new Convolution(4)],
        }).Fit(Rows(mlContext, 16)));
        StringAssert.Contains(afterDense.Message, "comes after a FullyConnected layer");
        var rate = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainers.ConvolutionalNetwork(new ConvolutionalNetworkTrainer.Options { Layers = [new Dropout(1.5)] }));
        StringAssert.Contains(rate.Message, "Layer 0 (Dropout { Rate = 1.5 }) of the convolutional network: 'Rate' must be in [0, 1); got 1.5");
        var nullLayer = Assert.ThrowsExactly<ArgumentNullException>(() => trainers.ConvolutionalNetwork(new ConvolutionalNetworkTrainer.Options { Layers = [new Activation(), null!] }));
        StringAssert.Contains(nullLayer.Message, "null entry at index 1");
        var shift = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainers.ConvolutionalNetwork(new ConvolutionalNetworkTrainer.Options { RandomShift = -1 }));
        StringAssert.Contains(shift.Message, "'RandomShift' option of ConvolutionalNetworkTrainer must be non-negative");
    }
}
