namespace Cs231n.MLNet.Onnx;

/// <summary>
/// A 2-D convolution with zero padding as one ONNX <c>Conv</c>. Our weights are filters × (C·K·K) with each row a
/// C×K×K kernel, channel by channel and row by row: the F×C×K×K layout <c>Conv</c> reads, stored unchanged.
/// </summary>
internal sealed class ConvolutionGraphLayer : ILayerGraphWriter
{
    private readonly ReadOnlyMemory<float> _weights;
    private readonly ReadOnlyMemory<float> _bias;
    private readonly int _filters, _channels, _kernelSize, _stride, _padding;

    public ConvolutionGraphLayer(ReadOnlyMemory<float> weights, ReadOnlyMemory<float> bias, int filters, int channels, int kernelSize, int stride, int padding)
    {
        if (weights.Length != (long)filters * channels * kernelSize * kernelSize || bias.Length != filters)
            throw new ArgumentException($"A convolution of {filters} filters of {channels}×{kernelSize}×{kernelSize} needs {(long)filters * channels * kernelSize * kernelSize} weights and {filters} biases.");
        _weights = weights;
        _bias = bias;
        _filters = filters;
        _channels = channels;
        _kernelSize = kernelSize;
        _stride = stride;
        _padding = padding;
    }

    public string Write(IOnnxGraph graph, string input)
    {
        string w = graph.AddTensor("ConvW", _weights.ToArray(), [_filters, _channels, _kernelSize, _kernelSize]);
        string b = graph.AddTensor("ConvB", _bias.ToArray(), [_filters]);
        return graph.Op("Conv", [input, w, b],
            OnnxAttribute.Ints("kernel_shape", _kernelSize, _kernelSize),
            OnnxAttribute.Ints("strides", _stride, _stride),
            OnnxAttribute.Ints("pads", _padding, _padding, _padding, _padding),
            OnnxAttribute.Ints("dilations", 1, 1),
            OnnxAttribute.Int("group", 1));
    }
}
