namespace Cs231n.MLNet.Onnx;

/// <summary>Chooses the graph writer of a fitted model; a model that cannot be expressed throws here, before export.</summary>
internal static class ClassifierGraphWriters
{
    /// <exception cref="NotSupportedException">The model cannot be written as ONNX; the message names it and says why.</exception>
    public static IClassifierGraphWriter For(Cs231nModelParameters model) => model switch
    {
        LinearClassifierModelParameters linear => NetworkGraphWriter.For(linear),
        MultilayerPerceptronModelParameters mlp => NetworkGraphWriter.For(mlp),
        KNearestNeighborsModelParameters knn => new KNearestNeighborsGraphWriter(knn),
        ConvolutionalNetworkModelParameters cnn => new NetworkGraphWriter(ConvolutionalNetworkGraphLayers.For(cnn)),
        _ => throw new NotSupportedException($"ONNX export of {model.GetType().Name} is not supported yet."),
    };
}
