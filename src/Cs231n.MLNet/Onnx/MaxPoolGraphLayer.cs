namespace Cs231n.MLNet.Onnx;

/// <summary>
/// Max pooling over square windows as one ONNX <c>MaxPool</c>: no padding and the output size rounded down
/// (<c>ceil_mode</c> 0), ⌊(H − size) / stride⌋ + 1, as our layer computes it.
/// </summary>
internal sealed class MaxPoolGraphLayer(int poolSize, int stride) : ILayerGraphWriter
{
    public string Write(IOnnxGraph graph, string input)
        => graph.Op("MaxPool", input,
            OnnxAttribute.Ints("kernel_shape", poolSize, poolSize),
            OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.Ints("pads", 0, 0, 0, 0));
}
