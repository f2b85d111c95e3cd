using Cs231n.MLNet.GradientChecking;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Tests.Engine;

/// <summary>
/// Every layer's backward pass against centred differences of its forward pass (CS231n's eval_numerical_gradient_array):
/// the scalar checked is Σ forward(x) ⊙ dout, whose gradient is what backward(dout) returns.
/// </summary>
[TestClass]
public sealed class LayerGradientTests
{
    private const int Rows = 4;
    private const double Tolerance = 1e-7;

    [TestMethod]
    public void AffineLayerGradientsCheck()
    {
        var layer = new AffineLayer<double>(5, 3);
        layer.Initialize(new SeededRandom(1));
        var random = new Random(2);
        for (int i = 0; i < layer.Bias.Value.Length; i++)
            layer.Bias.Value[i] = random.NextDouble() - 0.5;
        CheckLayer(layer, RandomInput(5, seed: 3));
    }

    [TestMethod]
    public void AffineLayerComputesTheProduct()
    {
        var layer = new AffineLayer<double>(2, 3);
        layer.Weights.Value.AsSpan().SetValues(1, 2, 3, 4, 5, 6); // W rows are output units.
        layer.Bias.Value.AsSpan().SetValues(0.5, 0, -1);
        var output = layer.Forward(new Matrix<double>([1, -1, 2, 0.5], 2, 2), training: true);
        CollectionAssert.AreEqual(new[] { -0.5, -1, -2, 3.5, 8, 12 }, output.Span.ToArray());
    }

    [TestMethod]
    public void ReluLayerGradientsCheck() => CheckLayer(new ReluLayer<double>(6), RandomInput(6, seed: 4));

    [TestMethod]
    public void LeakyReluLayerGradientsCheck() => CheckLayer(new LeakyReluLayer<double>(6, 0.05), RandomInput(6, seed: 5));

    [TestMethod]
    public void TanhLayerGradientsCheck() => CheckLayer(new TanhLayer<double>(6), RandomInput(6, seed: 6));

    [TestMethod]
    public void SigmoidLayerGradientsCheck() => CheckLayer(new SigmoidLayer<double>(6), RandomInput(6, seed: 7));

    [TestMethod]
    public void DropoutLayerGradientsCheckWithFixedMask()
    {
        var layer = new DropoutLayer<double>(40, 0.4, seed: 8) { FreezeMask = true };
        var input = RandomInput(40, seed: 9);
        var output = layer.Forward(input, training: true);
        int zeroed = output.Span.ToArray().Count(v => v == 0);
        Assert.IsTrue(zeroed > 40 && zeroed < 100, $"about 40 % of 160 values are dropped; got {zeroed}");
        foreach (double v in output.Span)
        {
            Assert.IsTrue(v == 0 || input.Span.ToArray().Any(x => Math.Abs(x / 0.6 - v) < 1e-12), "survivors are scaled by 1/(1 − p)");
        }
        CheckLayer(layer, input);
    }

    [TestMethod]
    public void DropoutIsIdentityAtInference()
    {
        var layer = new DropoutLayer<float>(8, 0.5, seed: 1);
        float[] values = Enumerable.Range(1, 16).Select(i => (float)i).ToArray();
        var output = layer.Forward(new Matrix<float>(values, 2, 8), training: false);
        CollectionAssert.AreEqual(values, output.Span.ToArray());
    }

    [TestMethod]
    public void BadLayerArgumentsAreReported()
    {
        var dropout = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DropoutLayer<float>(4, 1.0));
        StringAssert.Contains(dropout.Message, "dropout probability must be in [0, 1); got 1");
        var size = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AffineLayer<float>(0, 3));
        StringAssert.Contains(size.Message, "at least one input; got 0");
        var shape = Assert.ThrowsExactly<ArgumentException>(() => new AffineLayer<float>(3, 2).Forward(new Matrix<float>(new float[8], 2, 4), true));
        StringAssert.Contains(shape.Message, "expects 3 input columns; got 4");
        var chain = Assert.ThrowsExactly<ArgumentException>(() =>
            new NeuralNetwork<float>([new AffineLayer<float>(3, 5), new ReluLayer<float>(4)], new SoftmaxCrossEntropyLoss<float>()));
        StringAssert.Contains(chain.Message, "Layer 1 (ReluLayer`1) expects 4 inputs but layer 0 (AffineLayer`1) outputs 5");
    }

    [TestMethod]
    public void HeAndXavierInitialisationHaveTheirVariances()
    {
        var he = new AffineLayer<double>(400, 300, WeightInitialization.He);
        he.Initialize(new SeededRandom(1));
        Assert.AreEqual(2.0 / 400, Variance(he.Weights.Value), 0.05 * 2.0 / 400);
        var xavier = new AffineLayer<double>(400, 300, WeightInitialization.Xavier);
        xavier.Initialize(new SeededRandom(1));
        Assert.AreEqual(2.0 / 700, Variance(xavier.Weights.Value), 0.05 * 2.0 / 700);
        Assert.IsTrue(he.Bias.Value.All(b => b == 0));
    }

    private static double Variance(double[] values)
    {
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Length;
    }

    /// <summary>Checks dx and every parameter gradient of <paramref name="layer"/> at <paramref name="input"/>.</summary>
    internal static void CheckLayer(Layer<double> layer, Matrix<double> input)
    {
        var upstream = RandomInput(layer.OutputSize, seed: 99, rows: input.Rows);
        foreach (var parameter in layer.Parameters)
            Array.Clear(parameter.Gradient);
        layer.Forward(input, training: true);
        double[] dx = layer.Backward(upstream).Span.ToArray();
        var parameterGradients = layer.Parameters.Select(p => (double[])p.Gradient.Clone()).ToArray();

        double Objective()
        {
            var output = layer.Forward(input, training: true);
            double sum = 0;
            for (int i = 0; i < output.Span.Length; i++)
                sum += output.Span[i] * upstream.Span[i];
            return sum;
        }

        var inputCheck = GradientCheck.Check(_ => Objective(), input.Data, dx);
        Assert.IsLessThanOrEqualTo(Tolerance, inputCheck.MaxRelativeError, $"{layer.GetType().Name} dx: {inputCheck}");
        for (int p = 0; p < parameterGradients.Length; p++)
        {
            var check = GradientCheck.Check(_ => Objective(), layer.Parameters[p].Value, parameterGradients[p]);
            Assert.IsLessThanOrEqualTo(Tolerance, check.MaxRelativeError, $"{layer.GetType().Name} d{layer.Parameters[p].Name}: {check}");
        }
    }

    /// <summary>Values in ±[0.05, 1.5]: away from the ReLU kink at 0 by far more than the difference step.</summary>
    internal static Matrix<double> RandomInput(int columns, int seed, int rows = Rows)
    {
        var random = new Random(seed);
        var data = new double[rows * columns];
        for (int i = 0; i < data.Length; i++)
            data[i] = (random.Next(2) == 0 ? -1 : 1) * (0.05 + 1.45 * random.NextDouble());
        return new Matrix<double>(data, rows, columns);
    }
}

internal static class SpanTestExtensions
{
    public static void SetValues(this Span<double> span, params double[] values) => values.CopyTo(span);
}
