namespace Cs231n.MLNet.Onnx;

/// <summary>
/// One layer of a network as ONNX nodes: from the previous layer's output variable to this layer's. The network
/// writer chains them, so a new kind of layer (convolution, pooling, batch normalisation) is one more implementation.
/// </summary>
internal interface ILayerGraphWriter
{
    /// <summary>Writes the layer applied to <paramref name="input"/> and returns its output variable.</summary>
    string Write(IOnnxGraph graph, string input);
}
