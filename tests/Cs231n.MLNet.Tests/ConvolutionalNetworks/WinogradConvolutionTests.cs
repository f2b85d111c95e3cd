using Cs231n.MLNet.Numerics;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Tests.Numerics;

namespace Cs231n.MLNet.Tests.ConvolutionalNetworks;

/// <summary>The Winograd path of float convolutions against the naive loops in double, and its independence of the thread count.</summary>
[TestClass]
public sealed class WinogradConvolutionTests
{
    /// <summary>
    /// Largest error allowed, relative to the largest reference value of the same array. F(4×4, 5×5) in float
    /// measures about 4·10⁻⁶ on a 32-channel output (the direct float sum 1·10⁻⁷); the bound leaves room for long
    /// filter-gradient sums over many tiles.
    /// </summary>
    private const double RelativeTolerance = 1e-4;

    public static IEnumerable<object[]> Shapes =>
    [
        [1, 9, 7, 5, 11, 3, 1],     // rows, C, H, W, F, K, pad: batch 1, C and F not multiples of 8, edges not multiples of 4
        [2, 8, 13, 10, 17, 5, 2],   // 5×5 with partial tiles on both edges
        [3, 12, 6, 9, 8, 5, 1],     // padding below (K − 1) / 2: a smaller output
        [1, 10, 5, 5, 9, 3, 0],     // no padding: one partial tile
        [2, 16, 9, 11, 24, 3, 2],   // padding K − 1: the input gradient's padding is 0
        [2, 32, 14, 14, 64, 5, 2],  // the 2-conv network's second layer
        [20, 8, 6, 7, 8, 3, 1],     // a batch of 80 tiles
        [72, 8, 14, 14, 16, 5, 2],  // nine chunks of 128 tiles, whose filter gradients are summed in eight groups
        [2, 16, 6, 5, 8, 3, 1],     // rows of five: the transposed copies' sixteen-value stores span three rows
    ];

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void WinogradMatchesTheNaiveLoops(int rows, int channels, int height, int width, int filters, int kernel, int padding)
    {
        RequireAvx512();
        var layer = new Conv2dLayer<float>(new ImageShape(channels, height, width), filters, kernel, padding: padding) { Winograd = WinogradUse.WhereSupported };
        Assert.IsTrue(layer.UsesWinograd, "the shape should take the Winograd path");
        var run = FloatConvolutionCase.Run(layer, rows);
        AssertClose(run.ExpectedY, run.Y, "forward");
        AssertClose(run.ExpectedDx, run.Dx, "dx");
        AssertClose(run.ExpectedDw, run.Dw, "dw");
        AssertClose(run.ExpectedDb, run.Db, "db");
    }

    [TestMethod]
    public void WinogradResultsAreBitIdenticalForAnyThreadCount()
    {
        RequireAvx512();
        // 72 images of 16 tiles: nine chunks, summed for the filter gradient in eight groups (one of two chunks), the
        // groups split differently between slots for each thread count.
        const int images = 72;
        var shape = new ImageShape(32, 14, 14);
        float[] Run(int threads)
        {
            using var scope = new NumericsSettingsScope(threads: threads);
            var layer = new Conv2dLayer<float>(shape, 64, 5, padding: 2);
            Assert.IsTrue(layer.UsesWinograd);
            layer.Initialize(new SeededRandom(7));
            var random = new Random(8);
            var x = new Matrix<float>(Enumerable.Range(0, images * shape.Size).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), images, shape.Size);
            var dout = new Matrix<float>(Enumerable.Range(0, images * layer.OutputSize).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), images, layer.OutputSize);
            float[] y = layer.Forward(x, training: true).Span.ToArray();
            float[] dx = layer.Backward(dout).Span.ToArray();
            // A second step on the grown buffers must give the same as the first on fresh ones.
            Array.Clear(layer.Weights.Gradient);
            Array.Clear(layer.Bias.Gradient);
            CollectionAssert.AreEqual(y, layer.Forward(x, training: true).Span.ToArray(), "second forward pass");
            CollectionAssert.AreEqual(dx, layer.Backward(dout).Span.ToArray(), "second backward pass");
            return [.. y, .. dx, .. layer.Weights.Gradient, .. layer.Bias.Gradient];
        }
        float[] one = Run(1);
        CollectionAssert.AreEqual(one, Run(2));
        CollectionAssert.AreEqual(one, Run(3));
    }

    [TestMethod]
    public void BackwardAfterAScoringPassGivesTheTrainingPassGradients()
    {
        RequireAvx512();
        var shape = new ImageShape(16, 9, 9);
        var random = new Random(4);
        var x = new Matrix<float>(Enumerable.Range(0, 3 * shape.Size).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), 3, shape.Size);
        float[] Gradients(bool training)
        {
            var layer = new Conv2dLayer<float>(shape, 24, 5, padding: 2);
            Assert.IsTrue(layer.UsesWinograd);
            layer.Initialize(new SeededRandom(5));
            float[] y = layer.Forward(x, training).Span.ToArray();
            var dout = new Matrix<float>([.. y.Select(v => v * v)], 3, layer.OutputSize);
            float[] dx = layer.Backward(dout).Span.ToArray();
            return [.. y, .. dx, .. layer.Weights.Gradient, .. layer.Bias.Gradient];
        }
        CollectionAssert.AreEqual(Gradients(training: true), Gradients(training: false));
    }

    [TestMethod]
    public void SmallChannelCountsFrozenWeights3x3AndOtherKernelsStayDirect()
    {
        RequireAvx512();
        Assert.IsFalse(new Conv2dLayer<float>(new ImageShape(1, 28, 28), 32, 5, padding: 2).UsesWinograd, "one input channel");
        Assert.IsFalse(new Conv2dLayer<float>(new ImageShape(16, 8, 8), 16, 7, padding: 3).UsesWinograd, "7×7 kernel");
        Assert.IsFalse(new Conv2dLayer<float>(new ImageShape(16, 8, 8), 16, 3, stride: 2, padding: 1).UsesWinograd, "stride 2");
        Assert.IsFalse(new Conv2dLayer<double>(new ImageShape(16, 8, 8), 16, 3, padding: 1).UsesWinograd, "double");
        Assert.IsFalse(new Conv2dLayer<float>(new ImageShape(16, 8, 8), 16, 3, padding: 1).UsesWinograd, "3×3 stays direct unless asked");
        var frozen = new Conv2dLayer<float>(new ImageShape(16, 8, 8), 16, 5, padding: 2);
        Assert.IsTrue(frozen.UsesWinograd);
        frozen.FreezeWeights();
        Assert.IsFalse(frozen.UsesWinograd, "scoring keeps the direct convolution");
    }

    [TestMethod]
    public void TransformsReproduceTheOneDimensionalCorrelationExactlyInDouble()
    {
        foreach (var transform in new[] { WinogradTransform.F4x4Kernel3, WinogradTransform.F4x4Kernel5 })
        {
            int m = transform.OutputTile, r = transform.Kernel, alpha = transform.Alpha;
            var random = new Random(3);
            double[] d = [.. Enumerable.Range(0, alpha).Select(_ => random.NextDouble() - 0.5)];
            double[] g = [.. Enumerable.Range(0, r).Select(_ => random.NextDouble() - 0.5)];
            var product = new double[alpha];
            for (int k = 0; k < alpha; k++)
            {
                double gk = 0, dk = 0;
                for (int j = 0; j < r; j++)
                    gk += transform.FilterTransform[k * r + j] * g[j];
                for (int j = 0; j < alpha; j++)
                    dk += transform.InputTransform[k * alpha + j] * d[j];
                product[k] = gk * dk;
            }
            for (int i = 0; i < m; i++)
            {
                double y = 0, expected = 0;
                for (int k = 0; k < alpha; k++)
                    y += transform.OutputTransform[i * alpha + k] * product[k];
                for (int j = 0; j < r; j++)
                    expected += d[i + j] * g[j];
                Assert.AreEqual(expected, y, 1e-6, $"F({m}, {r}) output {i}");
            }
        }
    }

    [TestMethod]
    public void EveryTransformMatrixHasItsPlusMinusSymmetry()
    {
        // The fast transforms rely on it: a matrix without it would silently take the full, twice slower pass.
        foreach (var t in new[] { WinogradTransform.F4x4Kernel3, WinogradTransform.F4x4Kernel5 })
        {
            int m = t.OutputTile, r = t.Kernel, a = t.Alpha;
            Assert.AreEqual(WinogradPairing.Rows, new WinogradMatrix(t.InputTransform, a, a).Pairing, $"Bᵀ of F({m}, {r})");
            Assert.AreEqual(WinogradPairing.Rows, new WinogradMatrix(t.FilterTransform, a, r).Pairing, $"G of F({m}, {r})");
            Assert.AreEqual(WinogradPairing.Rows, new WinogradMatrix(t.OutputTransform, m, a, transpose: true).Pairing, $"A of F({m}, {r})");
            Assert.AreEqual(WinogradPairing.Columns, new WinogradMatrix(t.InputTransform, a, a, transpose: true).Pairing, $"B of F({m}, {r})");
            Assert.AreEqual(WinogradPairing.Columns, new WinogradMatrix(t.FilterTransform, a, r, transpose: true).Pairing, $"Gᵀ of F({m}, {r})");
            Assert.AreEqual(WinogradPairing.Columns, new WinogradMatrix(t.OutputTransform, m, a).Pairing, $"Aᵀ of F({m}, {r})");
        }
    }

    [TestMethod]
    public unsafe void TileTransformsMatchTheMatrixProductInDouble()
    {
        RequireAvx512();
        var t = WinogradTransform.F4x4Kernel5;
        int m = t.OutputTile, r = t.Kernel, a = t.Alpha, lanes = WinogradTiles.Lanes;
        var cases = new (float[] L, int P, int Q, bool Transpose)[]
        {
            (t.InputTransform, a, a, false), (t.InputTransform, a, a, true), (t.FilterTransform, a, r, false),
            (t.FilterTransform, a, r, true), (t.OutputTransform, m, a, false), (t.OutputTransform, m, a, true),
        };
        var random = new Random(5);
        foreach (var (l, p0, q0, transpose) in cases)
        {
            var matrix = new WinogradMatrix(l, p0, q0, transpose);
            int p = matrix.Rows, q = matrix.Columns;
            float[] x = [.. Enumerable.Range(0, q * q * lanes).Select(_ => (float)(random.NextDouble() - 0.5))];
            var z = new float[p * p * lanes];
            fixed (float* src = x, dst = z)
                WinogradTiles.Apply(matrix, src, q * lanes, lanes, dst, p * lanes, lanes);
            double L(int i, int k) => transpose ? l[k * q0 + i] : l[i * q0 + k];
            for (int lane = 0; lane < lanes; lane++)
            {
                for (int i = 0; i < p; i++)
                {
                    for (int j = 0; j < p; j++)
                    {
                        double expected = 0, scale = 0;
                        for (int k = 0; k < q; k++)
                        {
                            for (int c = 0; c < q; c++)
                            {
                                double term = L(i, k) * x[(k * q + c) * lanes + lane] * L(j, c);
                                expected += term;
                                scale += Math.Abs(term);
                            }
                        }
                        Assert.AreEqual(expected, z[(i * p + j) * lanes + lane], 1e-6 * Math.Max(scale, 1), $"{p}×{q}{(transpose ? " transposed" : "")} ({i}, {j}) lane {lane}");
                    }
                }
            }
        }
    }

    private static void RequireAvx512()
    {
        if (NumericsSettings.InstructionSet != SimdInstructionSet.Vector512)
            Assert.Inconclusive("The Winograd path runs on AVX-512 only; this processor keeps the direct convolution.");
    }

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        double scale = expected.Max(Math.Abs), worst = 0;
        for (int i = 0; i < expected.Length; i++)
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.IsLessThanOrEqualTo(RelativeTolerance * scale, worst, $"{what}: largest error {worst:G3} against a largest value of {scale:G3}");
    }
}
