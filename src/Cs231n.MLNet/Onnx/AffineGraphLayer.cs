namespace Cs231n.MLNet.Onnx;

/// <summary>A fully connected layer, <c>out = x·Wᵀ + b</c>, as one <c>Gemm</c> with W stored outputs×inputs.</summary>
internal sealed class AffineGraphLayer : ILayerGraphWriter
{
    private readonly ReadOnlyMemory<float> _weights;
    private readonly ReadOnlyMemory<float> _bias;
    private readonly int _inputs;
    private readonly int _outputs;

    public AffineGraphLayer(ReadOnlyMemory<float> weights, ReadOnlyMemory<float> bias, int inputs, int outputs)
    {
        if (weights.Length != (long)inputs * outputs || bias.Length != outputs)
            throw new ArgumentException($"An affine layer of {inputs} inputs and {outputs} outputs needs {inputs * (long)outputs} weights and {outputs} biases.");
        _weights = weights;
        _bias = bias;
        _inputs = inputs;
        _outputs = outputs;
    }

    public string Write(IOnnxGraph graph, string input)
    {
        string w = graph.AddTensor("W", _weights.ToArray(), [_outputs, _inputs]);
        string b = graph.AddTensor("b", _bias.ToArray(), [_outputs]);
        return graph.Op("Gemm", [input, w, b], OnnxAttribute.Int("transB", 1));
    }
}
