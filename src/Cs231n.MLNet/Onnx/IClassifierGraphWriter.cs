namespace Cs231n.MLNet.Onnx;

/// <summary>Writes one fitted classifier as ONNX nodes, from its N×FeatureCount float features to its scores.</summary>
internal interface IClassifierGraphWriter
{
    /// <summary>The lowest ONNX opset the written nodes need.</summary>
    int MinimumOpset { get; }

    /// <summary>Writes the nodes that score <paramref name="features"/> (N×FeatureCount, float).</summary>
    ClassifierGraph Write(IOnnxGraph graph, string features);
}
