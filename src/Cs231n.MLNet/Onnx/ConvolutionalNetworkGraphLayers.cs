using Cs231n.MLNet.ConvolutionalNetworks;
using Cs231n.MLNet.Mlp;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Onnx;

/// <summary>
/// A fitted convolutional network as a chain of ONNX layer writers: the rows reshaped to N×C×H×W, then each layer of
/// the inference network the model scores with (<c>Conv</c>, <c>BatchNormalization</c>, the activation,
/// <c>MaxPool</c>, <c>Flatten</c>, <c>Gemm</c>), then the softmax of <c>Score</c>. Dropout is the identity at
/// prediction and augmentation is not part of the inference network, so neither writes a node. The model applies no
/// scaling of its own to the input, so nothing is folded into the first layer.
/// </summary>
internal static class ConvolutionalNetworkGraphLayers
{
    public static IReadOnlyList<ILayerGraphWriter> For(ConvolutionalNetworkModelParameters model)
    {
        // The same builder the model scores with gives each layer's geometry; the learned arrays come from the model's
        // Parameters, which list them layer by layer in the network's order.
        var network = ConvNetArchitecture.Build(model.InputShape, model.Layers, model.ClassCount, seed: 0);
        var parameters = model.Parameters;
        int next = 0;
        ReadOnlyMemory<float> Take() => parameters[next++].Values;

        var layers = new List<ILayerGraphWriter> { new ImageReshapeGraphLayer(model.InputShape) };
        foreach (var layer in network.Layers)
        {
            switch (layer)
            {
                case Conv2dLayer<float> conv:
                    layers.Add(new ConvolutionGraphLayer(Take(), Take(), conv.Filters, conv.Input.Channels, conv.KernelSize, conv.Stride, conv.Padding));
                    break;
                case MaxPool2dLayer<float> pool:
                    layers.Add(new MaxPoolGraphLayer(pool.PoolSize, pool.Stride));
                    // The network computes a following ReLU inside the pooling layer; ONNX has no such fused operator.
                    if (pool.Rectifies)
                        layers.Add(new ActivationGraphLayer(ActivationFunction.Relu));
                    break;
                case BatchNormalizationLayer<float> norm:
                    layers.Add(new BatchNormalizationGraphLayer(Take(), Take(), Take(), Take(), norm.Epsilon));
                    break;
                case FlattenLayer<float>:
                    layers.Add(new FlattenGraphLayer());
                    break;
                case AffineLayer<float> affine:
                    layers.Add(new AffineGraphLayer(Take(), Take(), affine.InputSize, affine.OutputSize));
                    break;
                case DropoutLayer<float>:
                    break;
                default:
                    layers.Add(new ActivationGraphLayer(ActivationOf(layer)));
                    break;
            }
        }
        if (next != parameters.Count)
            throw new InvalidOperationException($"The network's layers read {next} of the model's {parameters.Count} learned arrays.");
        layers.Add(new SoftmaxGraphLayer());
        return layers;
    }

    private static ActivationFunction ActivationOf(Layer<float> layer) => layer switch
    {
        ReluLayer<float> => ActivationFunction.Relu,
        LeakyReluLayer<float> leaky when leaky.NegativeSlope == MlpArchitecture.LeakySlope => ActivationFunction.LeakyRelu,
        TanhLayer<float> => ActivationFunction.Tanh,
        SigmoidLayer<float> => ActivationFunction.Sigmoid,
        _ => throw new NotSupportedException(
            $"ONNX export of {nameof(ConvolutionalNetworkModelParameters)} does not know its layer {layer.GetType().Name}; no ONNX node was written for it."),
    };
}
