namespace Cs231n.MLNet.Onnx;

/// <summary>
/// A feed-forward model written layer by layer: the linear classifiers (one affine layer, plus a softmax for softmax
/// regression), the multilayer perceptron (affine and activation layers, then a softmax) and the convolutional network
/// (<see cref="ConvolutionalNetworkGraphLayers"/>: a <c>Reshape</c> to N×C×H×W, then <c>Conv</c>, <c>MaxPool</c>,
/// <c>BatchNormalization</c>, the activations, <c>Flatten</c> and <c>Gemm</c>). Dropout is absent at prediction, so it
/// writes nothing. A new kind of layer is one more <see cref="ILayerGraphWriter"/>.
/// </summary>
internal sealed class NetworkGraphWriter(IReadOnlyList<ILayerGraphWriter> layers) : IClassifierGraphWriter
{
    /// <summary>Gemm, Softmax, the activations, Conv, MaxPool, BatchNormalization, Reshape and Flatten are all in opset 9.</summary>
    public int MinimumOpset => 9;

    public IReadOnlyList<ILayerGraphWriter> Layers { get; } = layers;

    public ClassifierGraph Write(IOnnxGraph graph, string features)
    {
        string value = features;
        foreach (var layer in Layers)
            value = layer.Write(graph, value);
        return new ClassifierGraph(value);
    }

    public static NetworkGraphWriter For(LinearClassifierModelParameters model)
    {
        var layers = new List<ILayerGraphWriter> { new AffineGraphLayer(model.Weights, model.Bias, model.FeatureCount, model.ClassCount) };
        if (model.Loss == LinearClassifierLoss.SoftmaxCrossEntropy)
            layers.Add(new SoftmaxGraphLayer());
        return new NetworkGraphWriter(layers);
    }

    public static NetworkGraphWriter For(MultilayerPerceptronModelParameters model)
    {
        var layers = new List<ILayerGraphWriter>();
        var sizes = model.LayerSizes;
        for (int l = 0; l + 1 < sizes.Count; l++)
        {
            layers.Add(new AffineGraphLayer(model.Weights[l], model.Biases[l], sizes[l], sizes[l + 1]));
            if (l + 2 < sizes.Count)
                layers.Add(new ActivationGraphLayer(model.Activation));
        }
        layers.Add(new SoftmaxGraphLayer());
        return new NetworkGraphWriter(layers);
    }
}
