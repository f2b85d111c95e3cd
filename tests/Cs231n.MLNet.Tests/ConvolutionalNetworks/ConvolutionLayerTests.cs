using Cs231n.MLNet.Numerics;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Tests.Engine;
using Cs231n.MLNet.Tests.Numerics;

namespace Cs231n.MLNet.Tests.ConvolutionalNetworks;

/// <summary>The im2col/GEMM convolution against the naive loops, on shapes with stride, padding and chunking.</summary>
[TestClass]
public sealed class ConvolutionLayerTests
{
    public static IEnumerable<object[]> Shapes =>
    [
        [2, 3, 7, 6, 4, 3, 1, 1],  // rows, C, H, W, F, K, stride, pad
        [3, 2, 8, 8, 5, 3, 2, 1],
        [2, 1, 9, 7, 3, 5, 2, 2],
        [1, 3, 5, 5, 2, 5, 1, 0],
        [2, 2, 6, 6, 3, 1, 1, 0],
        [2, 4, 10, 10, 6, 4, 3, 1],
    ];

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void FastConvolutionMatchesTheNaiveLoops(int rows, int channels, int height, int width, int filters, int kernel, int stride, int padding)
    {
        var shape = new ImageShape(channels, height, width);
        var layer = new Conv2dLayer<double>(shape, filters, kernel, stride, padding);
        layer.Initialize(new SeededRandom(1));
        Fill(layer.Bias.Value, seed: 2);
        var x = LayerGradientTests.RandomInput(shape.Size, seed: 3, rows: rows);
        var dout = LayerGradientTests.RandomInput(layer.OutputSize, seed: 4, rows: rows);

        double[] expected = NaiveConvolution.Forward(x.Data, rows, shape, layer.Weights.Value, layer.Bias.Value, filters, kernel, stride, padding);
        double[] actual = layer.Forward(x, training: true).Span.ToArray();
        AssertClose(expected, actual, "forward");

        var (dx, dw, db) = NaiveConvolution.Backward(x.Data, rows, shape, layer.Weights.Value, filters, kernel, stride, padding, dout.Data);
        AssertClose(dx, layer.Backward(dout).Span.ToArray(), "dx");
        AssertClose(dw, layer.Weights.Gradient, "dw");
        AssertClose(db, layer.Bias.Gradient, "db");
    }

    public static IEnumerable<object[]> DirectShapes =>
    [
        [3, 1, 28, 28, 32, 5, 2],  // rows, C, H, W, F, K, pad: the 2-conv network's first layer (896 positions, 48-wide tiles only)
        [2, 32, 14, 14, 64, 5, 2], // its second layer (252 positions: a 16-wide last tile)
        [2, 3, 9, 7, 5, 3, 1],     // filters not a multiple of 8; a 32-wide last tile
        [2, 4, 6, 5, 11, 2, 0],    // even kernel, no padding
        [1, 2, 5, 5, 3, 5, 4],     // padding K − 1: the input gradient's padding is 0
    ];

    [TestMethod]
    [DynamicData(nameof(DirectShapes))]
    public void DirectFloatConvolutionMatchesTheNaiveLoopsOnEveryKernel(int rows, int channels, int height, int width, int filters, int kernel, int padding)
    {
        var shape = new ImageShape(channels, height, width);
        float[]? first = null;
        foreach (var instructionSet in new[] { SimdInstructionSet.Vector512, SimdInstructionSet.Vector256, SimdInstructionSet.Scalar })
        {
            if (!NumericsSettings.IsSupported(instructionSet))
                continue;
            using var scope = new NumericsSettingsScope(instructionSet);
            var layer = new Conv2dLayer<float>(shape, filters, kernel, padding: padding) { Winograd = WinogradUse.Never };
            Assert.IsTrue(layer.IsDirect);
            var run = FloatConvolutionCase.Run(layer, rows);
            float[] y = run.Y, dx = run.Dx;
            AssertClose(run.ExpectedY, y, 1e-4, $"{instructionSet} forward");
            AssertClose(run.ExpectedDx, dx, 1e-4, $"{instructionSet} dx");
            AssertClose(run.ExpectedDw, run.Dw, 1e-4, $"{instructionSet} dw");
            AssertClose(run.ExpectedDb, run.Db, 1e-4, $"{instructionSet} db");
            // Every kernel runs the same fused multiply-add chain per output value, so the outputs agree to the bit.
            float[] all = [.. y, .. dx];
            if (first is null)
                first = all;
            else
                CollectionAssert.AreEqual(first, all, $"{instructionSet} differs from the first kernel");
        }
    }

    [TestMethod]
    public void VectorPoolingMatchesTheScalarLoopWithTiesAndNaN()
    {
        // Rows of 34 pixels: 17 windows, the first 16 in vectors and one in the scalar tail; an odd height drops a row.
        var shape = new ImageShape(3, 33, 34);
        var random = new Random(9);
        // Few distinct values make ties common; a few NaN must propagate.
        float[] x = Enumerable.Range(0, 2 * shape.Size).Select(_ => random.Next(50) == 0 ? float.NaN : random.Next(4)).ToArray();
        float[] dout = Enumerable.Range(0, 2 * 3 * 16 * 17).Select(i => (float)(i % 13 + 1)).ToArray();
        var fast = new MaxPool2dLayer<float>(shape, 2);
        var reference = new MaxPool2dLayer<double>(shape, 2);
        float[] y = fast.Forward(new Matrix<float>(x, 2, shape.Size), training: true).Span.ToArray();
        float[] dx = fast.Backward(new Matrix<float>(dout, 2, fast.OutputSize)).Span.ToArray();
        double[] yd = reference.Forward(new Matrix<double>([.. x.Select(v => (double)v)], 2, shape.Size), training: true).Span.ToArray();
        double[] dxd = reference.Backward(new Matrix<double>([.. dout.Select(v => (double)v)], 2, fast.OutputSize)).Span.ToArray();
        CollectionAssert.AreEqual(yd.Select(v => (float)v).ToArray(), y, "forward");
        CollectionAssert.AreEqual(dxd.Select(v => (float)v).ToArray(), dx, "the gradient goes to the same pixel");
        Assert.IsTrue(y.Any(float.IsNaN), "the data should exercise NaN");
    }

    [TestMethod]
    public void OutputShapeFollowsPyTorchRounding()
    {
        var layer = new Conv2dLayer<float>(new ImageShape(3, 32, 32), 16, kernelSize: 5, stride: 2, padding: 2);
        Assert.AreEqual(new ImageShape(16, 16, 16), layer.Output);
        Assert.AreEqual(new ImageShape(4, 3, 3), new MaxPool2dLayer<float>(new ImageShape(4, 7, 7), 2).Output);
    }

    [TestMethod]
    public void BatchesLargerThanOneChunkMatchSingleImages()
    {
        // 16·9 patch rows × 32·32 positions = 147,456 values per image: a batch of 40 needs two chunks.
        var shape = new ImageShape(16, 32, 32);
        var layer = new Conv2dLayer<float>(shape, 8, 3, padding: 1);
        layer.Initialize(new SeededRandom(5));
        Assert.IsLessThan(40, Conv2dLayer<float>.PatchBudget / (16 * 9 * 1024), "the test needs more than one chunk");
        var random = new Random(6);
        float[] data = Enumerable.Range(0, 40 * shape.Size).Select(_ => (float)random.NextDouble()).ToArray();
        float[] batch = layer.Forward(new Matrix<float>(data, 40, shape.Size), training: false).Span.ToArray();
        var single = new Conv2dLayer<float>(shape, 8, 3, padding: 1);
        layer.Weights.Value.CopyTo(single.Weights.Value, 0);
        foreach (int row in new[] { 0, 27, 39 })
        {
            float[] alone = single.Forward(new Matrix<float>(data.AsSpan(row * shape.Size, shape.Size).ToArray(), 1, shape.Size), training: false).Span.ToArray();
            CollectionAssert.AreEqual(alone, batch.AsSpan(row * layer.OutputSize, layer.OutputSize).ToArray(), $"row {row}");
        }
    }

    [TestMethod]
    public void FrozenFiltersScoreBitIdenticallyAndTrainingLayersSeeEveryWeightUpdate()
    {
        var shape = new ImageShape(3, 10, 10);
        var random = new Random(11);
        var x = new Matrix<float>(Enumerable.Range(0, 4 * shape.Size).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), 4, shape.Size);
        var training = new Conv2dLayer<float>(shape, 12, 3, padding: 1);
        training.Initialize(new SeededRandom(12));
        var frozen = new Conv2dLayer<float>(shape, 12, 3, padding: 1);
        training.Weights.Value.CopyTo(frozen.Weights.Value, 0);
        frozen.FreezeWeights();
        float[] first = training.Forward(x, training: false).Span.ToArray();
        for (int call = 0; call < 2; call++)
            CollectionAssert.AreEqual(first, frozen.Forward(x, training: false).Span.ToArray(), $"frozen call {call}");

        // A weight change between forward passes (an optimiser step) reaches the next pass of a layer that is not frozen.
        training.Weights.Value[0] += 1f;
        var fresh = new Conv2dLayer<float>(shape, 12, 3, padding: 1);
        training.Weights.Value.CopyTo(fresh.Weights.Value, 0);
        float[] updated = training.Forward(x, training: false).Span.ToArray();
        CollectionAssert.AreNotEqual(first, updated);
        CollectionAssert.AreEqual(fresh.Forward(x, training: false).Span.ToArray(), updated);
    }

    [TestMethod]
    public void ResultsAreBitIdenticalForAnyThreadCount()
    {
        var shape = new ImageShape(8, 14, 14);
        float[] Run(int threads)
        {
            using var scope = new NumericsSettingsScope(threads: threads);
            var layer = new Conv2dLayer<float>(shape, 16, 3, padding: 1);
            layer.Initialize(new SeededRandom(7));
            var random = new Random(8);
            var x = new Matrix<float>(Enumerable.Range(0, 64 * shape.Size).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), 64, shape.Size);
            var dout = new Matrix<float>(Enumerable.Range(0, 64 * layer.OutputSize).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), 64, layer.OutputSize);
            float[] y = layer.Forward(x, training: true).Span.ToArray();
            float[] dx = layer.Backward(dout).Span.ToArray();
            return [.. y, .. dx, .. layer.Weights.Gradient, .. layer.Bias.Gradient];
        }
        CollectionAssert.AreEqual(Run(1), Run(2));
        CollectionAssert.AreEqual(Run(1), Run(3));
    }

    [TestMethod]
    public void BadConvolutionArgumentsAreReported()
    {
        var kernel = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Conv2dLayer<float>(new ImageShape(1, 4, 4), 2, kernelSize: 7, padding: 1));
        StringAssert.Contains(kernel.Message, "7×7 kernel of the convolution does not fit a 4×4 image padded by 1");
        var filters = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Conv2dLayer<float>(new ImageShape(1, 4, 4), 0, 3));
        StringAssert.Contains(filters.Message, "at least one filter; got 0");
        var pool = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MaxPool2dLayer<float>(new ImageShape(1, 3, 3), 4));
        StringAssert.Contains(pool.Message, "pooling window must be between 1 and the image's smaller side 3");
    }

    private static void Fill(double[] values, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < values.Length; i++)
            values[i] = random.NextDouble() - 0.5;
    }

    private static void AssertClose(double[] expected, float[] actual, double tolerance, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance * (1 + Math.Abs(expected[i])), $"{what}[{i}]");
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], 1e-12 * (1 + Math.Abs(expected[i])), $"{what}[{i}]");
    }
}
