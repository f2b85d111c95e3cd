using System.Numerics.Tensors;
using System.Runtime.Intrinsics.X86;
using Cs231n.MLNet.ConvolutionalNetworks;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Tests.ConvolutionalNetworks;

/// <summary>
/// Max pooling with a rectified output (<see cref="MaxPool2dLayer{T}.Rectifies"/>) stands in for max pooling followed by
/// a ReLU wherever the network builder meets that pair. These tests hold it to being the pair, bit for bit: output,
/// input gradient, and the weights and scores of a network trained with it.
/// </summary>
[TestClass]
public sealed class RectifiedMaxPoolTests
{
    // Odd sides leave rows and columns no window covers; 34 columns give 17 windows of 2×2/2, in vectors of eight with
    // the last one overlapping the one before; 14 and 7 columns give rows shorter than a vector, the image's last rows
    // of which take the scalar loop; 3×3/2 windows overlap and share maxima.
    [TestMethod]
    [DataRow(3, 15, 34, 2, 2)]
    [DataRow(4, 14, 14, 2, 2)]
    [DataRow(3, 7, 7, 2, 2)]
    [DataRow(2, 9, 11, 3, 2)]
    [DataRow(2, 8, 8, 2, 1)]
    public void FusedLayerIsPoolingThenReluBitForBit(int channels, int height, int width, int poolSize, int stride)
    {
        var shape = new ImageShape(channels, height, width);
        const int rows = 3;
        float[] x = SpecialValues(rows * shape.Size, seed: poolSize * 10 + stride);
        var pool = new MaxPool2dLayer<float>(shape, poolSize, stride);
        var relu = new ReluLayer<float>(pool.OutputSize);
        var fused = new MaxPool2dLayer<float>(shape, poolSize, stride, rectify: true);
        // Upstream gradients with NaN where the ReLU must stop them, and negative zeros, whose sum with the cleared
        // gradient must stay a positive zero as in the pair.
        float[] dy = SpecialValues(rows * pool.OutputSize, seed: 7);

        var input = new Matrix<float>(x, rows, shape.Size);
        float[] pairOutput = relu.Forward(pool.Forward(input, training: true), training: true).Span.ToArray();
        float[] pairGradient = pool.Backward(relu.Backward(new Matrix<float>(dy, rows, pool.OutputSize))).Span.ToArray();
        float[] fusedOutput = fused.Forward(input, training: true).Span.ToArray();
        float[] fusedGradient = fused.Backward(new Matrix<float>(dy, rows, pool.OutputSize)).Span.ToArray();

        AssertBitwiseEqual(pairOutput, fusedOutput, "output");
        AssertBitwiseEqual(pairGradient, fusedGradient, "input gradient");
        Assert.IsTrue(fusedOutput.Any(float.IsNaN) && fusedOutput.Any(v => v == 0) && fusedOutput.Any(v => v > 0), "the data should reach NaN, zero and positive outputs");
        Assert.IsTrue(fusedGradient.Any(float.IsNaN), "a NaN gradient at a positive output should pass");
    }

    // 2×2/2 with four or more windows a row runs the vector backward pass, with fewer or other sizes the window loop,
    // overlapping windows the scatter; odd sides leave rows and columns that no window covers.
    [TestMethod]
    [DataRow(3, 15, 34, 2, 2, false)]
    [DataRow(3, 15, 34, 2, 2, true)]
    [DataRow(2, 14, 14, 2, 2, true)]
    [DataRow(1, 7, 7, 2, 2, false)]
    [DataRow(2, 10, 11, 3, 3, true)]
    [DataRow(2, 9, 11, 3, 2, true)]
    public void InputGradientIsTheClearedScatterOfTheOutputGradient(int channels, int height, int width, int poolSize, int stride, bool rectify)
    {
        var shape = new ImageShape(channels, height, width);
        var layer = new MaxPool2dLayer<float>(shape, poolSize, stride, rectify);
        // Two rounds: the second must overwrite every position of the reused gradient buffer.
        for (int round = 0; round < 2; round++)
        {
            const int rows = 2;
            var random = new Random(round + 3 * height);
            // Ties and zeros but no NaN input, whose position among equal NaN differs between the pooling loops; NaN
            // and −0 upstream.
            float[] x = [.. Enumerable.Range(0, rows * shape.Size).Select(_ => random.Next(3) == 0 ? random.Next(-1, 2) : (float)(random.NextDouble() * 4 - 2))];
            float[] dy = SpecialValues(rows * layer.OutputSize, seed: round + 20);
            layer.Forward(new Matrix<float>(x, rows, shape.Size), training: true);
            float[] dx = layer.Backward(new Matrix<float>(dy, rows, layer.OutputSize)).Span.ToArray();
            AssertBitwiseEqual(ScatteredGradient(x, shape, layer, dy, rows), dx, $"round {round}");
        }
    }

    /// <summary>The input gradient as the scatter into a cleared buffer computes it, from the first maximum of each window.</summary>
    private static float[] ScatteredGradient(float[] x, ImageShape shape, MaxPool2dLayer<float> layer, float[] dy, int rows)
    {
        var dx = new float[x.Length];
        var output = layer.Output;
        int size = layer.PoolSize, s = layer.Stride;
        for (int n = 0; n < rows; n++)
        for (int c = 0; c < shape.Channels; c++)
        for (int oy = 0; oy < output.Height; oy++)
        for (int ox = 0; ox < output.Width; ox++)
        {
            int best = -1;
            for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
            {
                int at = n * shape.Size + (c * shape.Height + oy * s + i) * shape.Width + ox * s + j;
                if (best < 0 || x[at] > x[best])
                    best = at;
            }
            int o = n * layer.OutputSize + (c * output.Height + oy) * output.Width + ox;
            float max = x[best];
            dx[best] += !layer.Rectifies || max > 0 ? dy[o] : 0f;
        }
        return dx;
    }

    [TestMethod]
    [DataRow(3, 15, 34)]
    [DataRow(4, 14, 14)]
    [DataRow(3, 7, 7)]
    public void VectorRectifiedPoolingMatchesTheScalarLoop(int channels, int height, int width)
    {
        // Single precision pools 2×2/2 windows in vectors where the processor has them; double always in the scalar loop.
        var shape = new ImageShape(channels, height, width);
        float[] x = SpecialValues(2 * shape.Size, seed: width);
        var fast = new MaxPool2dLayer<float>(shape, 2, rectify: true);
        var scalar = new MaxPool2dLayer<double>(shape, 2, rectify: true);
        float[] dy = SpecialValues(2 * fast.OutputSize, seed: width + 1);
        float[] y = fast.Forward(new Matrix<float>(x, 2, shape.Size), training: true).Span.ToArray();
        float[] dx = fast.Backward(new Matrix<float>(dy, 2, fast.OutputSize)).Span.ToArray();
        double[] yd = scalar.Forward(new Matrix<double>([.. x.Select(v => (double)v)], 2, shape.Size), training: true).Span.ToArray();
        double[] dxd = scalar.Backward(new Matrix<double>([.. dy.Select(v => (double)v)], 2, fast.OutputSize)).Span.ToArray();
        AssertBitwiseEqual([.. yd.Select(v => (float)v)], y, "output");
        AssertBitwiseEqual([.. dxd.Select(v => (float)v)], dx, "input gradient");
    }

    [TestMethod]
    [DataRow(4)]
    [DataRow(7)]
    [DataRow(8)]
    [DataRow(17)]
    public void VectorBackwardKernelsWriteTheWindowsGradients(int ow)
    {
        // The layer picks one kernel per row width; each is called here on every width it accepts, against the window
        // loop's definition: the gradient (as 0 + dy) at the maximum, zero at the window's other positions, nothing
        // written outside the windows (the uncovered last column keeps its marker).
        if (!Avx2.IsSupported)
            Assert.Inconclusive("The vector backward kernels need AVX2.");
        const int oh = 3, plane = 5;
        int w = 2 * ow + 1;
        var random = new Random(ow);
        float[] dy = SpecialValues(oh * ow, seed: ow + 40);
        int[] where = new int[oh * ow];
        for (int o = 0; o < where.Length; o++)
        {
            int corner = plane + (o / ow * 2 * w) + o % ow * 2;
            where[o] = random.Next(5) == 0 ? -1 : corner + random.Next(2) * w + random.Next(2);
        }
        float[] expected = Enumerable.Repeat(-7f, plane + 2 * oh * w).ToArray();
        for (int o = 0; o < where.Length; o++)
        {
            int corner = plane + (o / ow * 2 * w) + o % ow * 2;
            foreach (int at in new[] { corner, corner + 1, corner + w, corner + w + 1 })
                expected[at] = at == where[o] ? 0f + dy[o] : 0f;
        }
        float[] avx2 = Enumerable.Repeat(-7f, expected.Length).ToArray();
        MaxPool2dLayer<float>.PairsBackwardAvx2(dy, where, avx2, plane, w, ow);
        AssertBitwiseEqual(expected, avx2, "AVX2");
        if (ow >= 8 && Avx512F.IsSupported)
        {
            float[] avx512 = Enumerable.Repeat(-7f, expected.Length).ToArray();
            MaxPool2dLayer<float>.PairsBackwardAvx512(dy, where, avx512, plane, w, ow);
            AssertBitwiseEqual(expected, avx512, "AVX-512");
        }
    }

    [TestMethod]
    public void DoubleFusedLayerIsPoolingThenRelu()
    {
        // Double has no vector path: this runs the scalar code on the same kinds of values.
        var shape = new ImageShape(2, 7, 9);
        double[] x = [.. SpecialValues(2 * shape.Size, seed: 3).Select(v => (double)v)];
        var pool = new MaxPool2dLayer<double>(shape, 2);
        var relu = new ReluLayer<double>(pool.OutputSize);
        var fused = new MaxPool2dLayer<double>(shape, 2, rectify: true);
        double[] dy = [.. SpecialValues(2 * pool.OutputSize, seed: 4).Select(v => (double)v)];
        var input = new Matrix<double>(x, 2, shape.Size);
        double[] pairOutput = relu.Forward(pool.Forward(input, training: true), training: true).Span.ToArray();
        double[] pairGradient = pool.Backward(relu.Backward(new Matrix<double>(dy, 2, pool.OutputSize))).Span.ToArray();
        double[] fusedOutput = fused.Forward(input, training: true).Span.ToArray();
        double[] fusedGradient = fused.Backward(new Matrix<double>(dy, 2, pool.OutputSize)).Span.ToArray();
        CollectionAssert.AreEqual(pairOutput.Select(BitConverter.DoubleToInt64Bits).ToArray(), fusedOutput.Select(BitConverter.DoubleToInt64Bits).ToArray(), "output");
        CollectionAssert.AreEqual(pairGradient.Select(BitConverter.DoubleToInt64Bits).ToArray(), fusedGradient.Select(BitConverter.DoubleToInt64Bits).ToArray(), "input gradient");
    }

    [TestMethod]
    public void RectifyMatchesTensorPrimitivesMaxWithZero()
    {
        // NaN with a payload and a sign, signed zeros, infinities and subnormals, at every position of a vector and in
        // the scalar tail.
        float[] special = [float.NaN, -float.NaN, BitConverter.Int32BitsToSingle(0x7FC0_1234), -0f, 0f, float.PositiveInfinity,
            float.NegativeInfinity, float.Epsilon, -float.Epsilon, 1f, -1f, float.MaxValue, float.MinValue];
        var random = new Random(11);
        float[] y = Enumerable.Range(0, 101).Select(_ => special[random.Next(special.Length)]).ToArray();
        float[] expected = new float[y.Length];
        TensorPrimitives.Max(y, 0f, expected);
        int[] where = Enumerable.Range(0, y.Length).ToArray();
        MaxPool2dLayer<float>.Rectify(y, where);
        AssertBitwiseEqual(expected, y, "values");
        for (int i = 0; i < y.Length; i++)
            Assert.AreEqual(y[i] > 0 ? i : -1, where[i], $"the gradient route of {y[i]} at {i}");
    }

    [TestMethod]
    public void NetworkTrainedWithTheFusedLayerHasTheSameWeightsAndScores()
    {
        // Both pooling kinds, a batch norm before the ReLU (as in the default network) and a ReLU listed before its pooling.
        ConvNetLayer[] layers =
        [
            new Convolution(4, 3), new BatchNormalization(), new Activation(), new MaxPooling(2),
            new Convolution(6, 3, Padding: 0), new Activation(), new MaxPooling(3, 2),
            new FullyConnected(8), new Activation(),
        ];
        var shape = new ImageShape(1, 14, 14);
        var fused = ConvNetArchitecture.Build(shape, layers, classCount: 3, seed: 1);
        var pair = Unfused(ConvNetArchitecture.Build(shape, layers, classCount: 3, seed: 1));
        Assert.AreEqual(2, fused.Layers.OfType<MaxPool2dLayer<float>>().Count(p => p.Rectifies), "the builder fuses both pairs");
        Assert.AreEqual(fused.Layers.Count + 2, pair.Layers.Count);
        fused.Initialize(seed: 5);
        pair.Initialize(seed: 5);

        const int rows = 16;
        var random = new Random(6);
        var x = new Matrix<float>([.. Enumerable.Range(0, rows * shape.Size).Select(_ => random.Next(3) == 0 ? 0f : (float)random.NextDouble())], rows, shape.Size);
        int[] labels = [.. Enumerable.Range(0, rows).Select(i => i % 3)];
        Train(fused, x, labels);
        Train(pair, x, labels);

        for (int p = 0; p < fused.Parameters.Count; p++)
            AssertBitwiseEqual(pair.Parameters[p].Value, fused.Parameters[p].Value, $"parameter {p} after training");
        AssertBitwiseEqual(pair.Scores(x).Span.ToArray(), fused.Scores(x).Span.ToArray(), "scores");
    }

    /// <summary>The same network with every rectifying pooling layer replaced by pooling and a separate ReLU.</summary>
    private static NeuralNetwork<float> Unfused(NeuralNetwork<float> network)
        => new(network.Layers.SelectMany(layer => layer is MaxPool2dLayer<float> { Rectifies: true } pool
            ? new Layer<float>[] { new MaxPool2dLayer<float>(pool.Input, pool.PoolSize, pool.Stride), new ReluLayer<float>(pool.OutputSize) }
            : [layer]), new SoftmaxCrossEntropyLoss<float>());

    private static void Train(NeuralNetwork<float> network, Matrix<float> x, int[] labels)
    {
        var adam = new AdamOptimizer<float>();
        var states = network.Parameters.Select(p => adam.CreateState(p.Value.Length)).ToArray();
        for (int step = 0; step < 10; step++)
        {
            network.ComputeLossAndGradients(x, labels);
            for (int p = 0; p < states.Length; p++)
                adam.Update(network.Parameters[p].Value, network.Parameters[p].Gradient, states[p], 1e-2f);
        }
    }

    /// <summary>Few distinct values (ties), negatives, zeros of both signs and NaN.</summary>
    private static float[] SpecialValues(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(40) switch
        {
            0 => float.NaN,
            1 or 2 => -0f,
            < 8 => 0f,
            < 20 => random.Next(-2, 3),
            _ => (float)(random.NextDouble() * 4 - 2),
        }).ToArray();
    }

    private static void AssertBitwiseEqual(float[] expected, float[] actual, string what)
        => CollectionAssert.AreEqual(expected.Select(BitConverter.SingleToInt32Bits).ToArray(), actual.Select(BitConverter.SingleToInt32Bits).ToArray(), what);
}
