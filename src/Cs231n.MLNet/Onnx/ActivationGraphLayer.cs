using Cs231n.MLNet.Mlp;

namespace Cs231n.MLNet.Onnx;

/// <summary>A hidden layer's nonlinearity (of the multilayer perceptron or the convolutional network) as the matching ONNX operator.</summary>
internal sealed class ActivationGraphLayer(ActivationFunction activation) : ILayerGraphWriter
{
    public string Write(IOnnxGraph graph, string input) => activation switch
    {
        ActivationFunction.Relu => graph.Op("Relu", input),
        ActivationFunction.LeakyRelu => graph.Op("LeakyRelu", input, OnnxAttribute.Float("alpha", (float)MlpArchitecture.LeakySlope)),
        ActivationFunction.Tanh => graph.Op("Tanh", input),
        ActivationFunction.Sigmoid => graph.Op("Sigmoid", input),
        _ => throw new NotSupportedException($"ONNX export does not know the activation {activation}."),
    };
}
