using Cs231n.MLNet.Losses;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Mlp;

/// <summary>Builds the layer stack of a multilayer perceptron: [affine → activation → dropout] per hidden layer, then affine.</summary>
internal static class MlpArchitecture
{
    /// <summary>Negative slope of <see cref="ActivationFunction.LeakyRelu"/> (CS231n's default).</summary>
    public const double LeakySlope = 0.01;

    public static NeuralNetwork<float> Build(int[] layerSizes, ActivationFunction activation, double dropout, int seed)
    {
        var initialization = activation is ActivationFunction.Relu or ActivationFunction.LeakyRelu ? WeightInitialization.He : WeightInitialization.Xavier;
        var layers = new List<Layer<float>>();
        for (int l = 0; l + 1 < layerSizes.Length; l++)
        {
            bool last = l + 2 == layerSizes.Length;
            // The output layer starts like a Xavier layer: its scores feed a softmax, not a rectifier.
            layers.Add(new AffineLayer<float>(layerSizes[l], layerSizes[l + 1], last ? WeightInitialization.Xavier : initialization));
            if (last)
                break;
            layers.Add(CreateActivation(activation, layerSizes[l + 1]));
            if (dropout > 0)
                layers.Add(new DropoutLayer<float>(layerSizes[l + 1], dropout, seed: unchecked(seed * 31 + l + 1)));
        }
        return new NeuralNetwork<float>(layers, new SoftmaxCrossEntropyLoss<float>());
    }

    public static Layer<float> CreateActivation(ActivationFunction activation, int size) => activation switch
    {
        ActivationFunction.Relu => new ReluLayer<float>(size),
        ActivationFunction.LeakyRelu => new LeakyReluLayer<float>(size, LeakySlope),
        ActivationFunction.Tanh => new TanhLayer<float>(size),
        ActivationFunction.Sigmoid => new SigmoidLayer<float>(size),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, $"Unknown activation {activation}."),
    };
}
