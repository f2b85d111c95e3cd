namespace Cs231n.MLNet.Onnx;

/// <summary>N×C×H×W images back to N×(C·H·W) rows before the fully connected layers, in the same channel-major order.</summary>
internal sealed class FlattenGraphLayer : ILayerGraphWriter
{
    public string Write(IOnnxGraph graph, string input) => graph.FlattenRows(input);
}
