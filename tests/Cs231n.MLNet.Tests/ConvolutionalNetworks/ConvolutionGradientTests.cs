using Cs231n.MLNet.GradientChecking;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Tests.Engine;

namespace Cs231n.MLNet.Tests.ConvolutionalNetworks;

/// <summary>Every convolutional-network layer's backward pass against centred differences, in double precision, at 1e-7.</summary>
[TestClass]
public sealed class ConvolutionGradientTests
{
    [TestMethod]
    public void Conv2dGradientsCheck()
    {
        var layer = new Conv2dLayer<double>(new ImageShape(2, 5, 5), 3, kernelSize: 3, stride: 2, padding: 1);
        layer.Initialize(new SeededRandom(1));
        var random = new Random(2);
        for (int i = 0; i < layer.Bias.Value.Length; i++)
            layer.Bias.Value[i] = random.NextDouble() - 0.5;
        LayerGradientTests.CheckLayer(layer, LayerGradientTests.RandomInput(50, seed: 3, rows: 2));
    }

    [TestMethod]
    public void MaxPoolGradientsCheck()
        // Distinct random values: no window has a tie that a finite difference could flip.
        => LayerGradientTests.CheckLayer(new MaxPool2dLayer<double>(new ImageShape(2, 6, 5), 2), LayerGradientTests.RandomInput(60, seed: 4, rows: 3));

    [TestMethod]
    public void OverlappingMaxPoolGradientsCheck()
        => LayerGradientTests.CheckLayer(new MaxPool2dLayer<double>(new ImageShape(1, 7, 7), 3, stride: 2), LayerGradientTests.RandomInput(49, seed: 5, rows: 2));

    [TestMethod]
    public void RectifiedMaxPoolGradientsCheck()
        // Inputs at least 0.05 away from zero keep the differences off the ReLU kink; about one 2×2 window in sixteen
        // has no positive value and passes no gradient.
        => LayerGradientTests.CheckLayer(new MaxPool2dLayer<double>(new ImageShape(2, 6, 5), 2, rectify: true), LayerGradientTests.RandomInput(60, seed: 12, rows: 3));

    [TestMethod]
    public void OverlappingRectifiedMaxPoolGradientsCheck()
        => LayerGradientTests.CheckLayer(new MaxPool2dLayer<double>(new ImageShape(1, 7, 7), 3, stride: 2, rectify: true), LayerGradientTests.RandomInput(49, seed: 13, rows: 2));

    [TestMethod]
    public void SpatialBatchNormGradientsCheck()
    {
        var layer = new SpatialBatchNormLayer<double>(new ImageShape(3, 4, 3));
        layer.Initialize(new SeededRandom(1));
        RandomizeAffine(layer, seed: 6);
        LayerGradientTests.CheckLayer(layer, LayerGradientTests.RandomInput(36, seed: 7, rows: 4));
    }

    [TestMethod]
    public void BatchNorm1dGradientsCheck()
    {
        var layer = new BatchNorm1dLayer<double>(5);
        layer.Initialize(new SeededRandom(1));
        RandomizeAffine(layer, seed: 8);
        LayerGradientTests.CheckLayer(layer, LayerGradientTests.RandomInput(5, seed: 9, rows: 6));
    }

    [TestMethod]
    public void FlattenAndAugmentationGradientsCheck()
    {
        LayerGradientTests.CheckLayer(new FlattenLayer<double>(new ImageShape(2, 3, 3)), LayerGradientTests.RandomInput(18, seed: 10));
        // The augmentation is linear in its input; its random draws are fixed by reseeding before every pass below.
        var augmentation = new ReseedingAugmentation(new ImageShape(2, 5, 4));
        LayerGradientTests.CheckLayer(augmentation, LayerGradientTests.RandomInput(40, seed: 11));
    }

    [TestMethod]
    public void BatchNormTrainingOutputHasZeroMeanAndUnitVarianceAndInferenceUsesRunningStatistics()
    {
        var layer = new SpatialBatchNormLayer<double>(new ImageShape(2, 3, 3), momentum: 0.5);
        layer.Initialize(new SeededRandom(1));
        var x = LayerGradientTests.RandomInput(18, seed: 12, rows: 5);
        for (int i = 0; i < x.Data.Length; i++)
            x.Data[i] = 3 + 2 * x.Data[i];
        var y = new Matrix<double>(layer.Forward(x, training: true).Span.ToArray(), 5, 18);
        for (int c = 0; c < 2; c++)
        {
            var values = Enumerable.Range(0, 5).SelectMany(r => y.Row(r).Slice(c * 9, 9).ToArray()).ToArray();
            Assert.AreEqual(0, values.Average(), 1e-12);
            Assert.AreEqual(1, values.Select(v => v * v).Average(), 1e-4);
            var inputs = Enumerable.Range(0, 5).SelectMany(r => x.Row(r).Slice(c * 9, 9).ToArray()).ToArray();
            double mean = inputs.Average(), variance = inputs.Select(v => (v - mean) * (v - mean)).Average();
            Assert.AreEqual(0.5 * mean, layer.RunningMean[c], 1e-12);
            Assert.AreEqual(0.5 + 0.5 * variance, layer.RunningVariance[c], 1e-12);
            double expected = (x[0, c * 9] - layer.RunningMean[c]) / Math.Sqrt(layer.RunningVariance[c] + 1e-5);
            Assert.AreEqual(expected, layer.Forward(x, training: false)[0, c * 9], 1e-12);
        }
    }

    [TestMethod]
    public void SmallConvolutionalNetworkGradientsCheck()
    {
        var image = new ImageShape(2, 6, 6);
        var conv1 = new Conv2dLayer<double>(image, 3, 3, padding: 1);
        var bn = new SpatialBatchNormLayer<double>(conv1.Output) { FreezeStatistics = true };
        var pool = new MaxPool2dLayer<double>(conv1.Output, 2);
        var conv2 = new Conv2dLayer<double>(pool.Output, 4, 2, stride: 1);
        var flat = new FlattenLayer<double>(conv2.Output);
        var affine = new AffineLayer<double>(flat.OutputSize, 6);
        // Batch norm before every ReLU keeps about half of each channel's units active, so no parameter is silenced.
        var network = new NeuralNetwork<double>(
        [
            conv1, bn, new ReluLayer<double>(conv1.OutputSize), pool,
            conv2, new SpatialBatchNormLayer<double>(conv2.Output) { FreezeStatistics = true }, new ReluLayer<double>(conv2.OutputSize), flat,
            affine, new BatchNorm1dLayer<double>(6) { FreezeStatistics = true }, new ReluLayer<double>(6),
            new AffineLayer<double>(6, 3, WeightInitialization.Xavier),
        ], new SoftmaxCrossEntropyLoss<double>(), l2Regularization: 0.01);
        network.Initialize(seed: 21);
        var x = LayerGradientTests.RandomInput(image.Size, seed: 14, rows: 12);
        int[] labels = Enumerable.Range(0, 12).Select(i => i % 3).ToArray();
        network.ComputeLossAndGradients(x, labels);
        var analytic = network.Parameters.Select(p => (double[])p.Gradient.Clone()).ToArray();
        for (int p = 0; p < analytic.Length; p++)
        {
            var parameter = network.Parameters[p];
            if (ReferenceEquals(parameter, conv1.Bias) || ReferenceEquals(parameter, conv2.Bias) || ReferenceEquals(parameter, affine.Bias)
                || parameter.Name.StartsWith("running_", StringComparison.Ordinal))
            {
                // Batch normalisation subtracts the channel mean, so a bias just before it has an exactly zero gradient,
                // and training-mode passes do not read the running statistics: a relative error means nothing there,
                // so check that both gradients are zero to rounding.
                double[] numerical = GradientCheck.NumericalGradient(_ => network.ComputeLoss(x, labels, training: true), parameter.Value);
                Assert.IsTrue(analytic[p].All(g => Math.Abs(g) < 1e-12) && numerical.All(g => Math.Abs(g) < 1e-8), $"{parameter} before batch norm has no gradient");
                continue;
            }
            // Five points with a step ten times below the default: batch-normalised activations crowd around the ReLU and
            // max-pool kinks, which the default stencil's ±2e-3 would straddle, while gradients of ~1e-4 need more
            // accuracy than two points give.
            var result = GradientCheck.Check(_ => network.ComputeLoss(x, labels, training: true), parameter.Value, analytic[p],
                step: 1e-4, formula: FiniteDifference.CentredFourthOrder);
            Assert.IsLessThanOrEqualTo(1e-7, result.MaxRelativeError, $"parameter {p} {parameter}: {result}");
        }
    }

    private static void RandomizeAffine(BatchNormalizationLayer<double> layer, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < layer.Channels; i++)
        {
            layer.Scale.Value[i] = 0.5 + random.NextDouble();
            layer.Shift.Value[i] = random.NextDouble() - 0.5;
        }
    }

    /// <summary>Draws the same shifts and flips on every forward pass, making the layer a fixed linear map.</summary>
    private sealed class ReseedingAugmentation(ImageShape shape) : Layer<double>
    {
        private readonly ImageAugmentationLayer<double> _inner = new(shape, maxShift: 2, horizontalFlip: true);

        public override int InputSize => _inner.InputSize;

        public override int OutputSize => _inner.OutputSize;

        protected override Matrix<double> ForwardCore(Matrix<double> input, bool training)
        {
            _inner.Reseed(3);
            return _inner.Forward(input, training);
        }

        protected override Matrix<double> BackwardCore(Matrix<double> outputGradient) => _inner.Backward(outputGradient);
    }
}
