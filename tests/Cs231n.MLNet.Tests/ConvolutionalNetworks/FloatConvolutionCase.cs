using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Tests.ConvolutionalNetworks;

/// <summary>
/// One forward and backward pass of a float stride-1 convolution on random data, and what the naive loops compute in
/// double for the same float inputs and weights.
/// </summary>
internal sealed record FloatConvolutionCase(float[] Y, float[] Dx, float[] Dw, float[] Db, double[] ExpectedY, double[] ExpectedDx, double[] ExpectedDw, double[] ExpectedDb)
{
    /// <summary>Runs <paramref name="layer"/> (weights initialised with seed 1, biases and data drawn from seed 2) on <paramref name="rows"/> images.</summary>
    public static FloatConvolutionCase Run(Conv2dLayer<float> layer, int rows)
    {
        var shape = layer.Input;
        int filters = layer.Filters, kernel = layer.KernelSize, padding = layer.Padding;
        layer.Initialize(new SeededRandom(1));
        var random = new Random(2);
        for (int f = 0; f < filters; f++)
            layer.Bias.Value[f] = (float)random.NextDouble() - 0.5f;
        float[] x = Enumerable.Range(0, rows * shape.Size).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] dout = Enumerable.Range(0, rows * layer.OutputSize).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] y = layer.Forward(new Matrix<float>(x, rows, shape.Size), training: true).Span.ToArray();
        float[] dx = layer.Backward(new Matrix<float>(dout, rows, layer.OutputSize)).Span.ToArray();

        double[] w = [.. layer.Weights.Value.Select(v => (double)v)], b = [.. layer.Bias.Value.Select(v => (double)v)];
        double[] xd = [.. x.Select(v => (double)v)], doutD = [.. dout.Select(v => (double)v)];
        double[] expected = NaiveConvolution.Forward(xd, rows, shape, w, b, filters, kernel, 1, padding);
        var (edx, edw, edb) = NaiveConvolution.Backward(xd, rows, shape, w, filters, kernel, 1, padding, doutD);
        return new(y, dx, [.. layer.Weights.Gradient], [.. layer.Bias.Gradient], expected, edx, edw, edb);
    }
}
