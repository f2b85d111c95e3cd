namespace Cs231n.MLNet.Onnx;

/// <summary>Class probabilities from the last layer's scores: a softmax over each row.</summary>
internal sealed class SoftmaxGraphLayer : ILayerGraphWriter
{
    public string Write(IOnnxGraph graph, string input) => graph.Op("Softmax", input, OnnxAttribute.Int("axis", 1));
}
