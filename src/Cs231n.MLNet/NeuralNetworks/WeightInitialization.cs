namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>How the weights of a fully connected layer are drawn (biases always start at zero).</summary>
public enum WeightInitialization
{
    /// <summary>He: N(0, 2/fanIn). Keeps activation variance steady through ReLU-family layers.</summary>
    He,

    /// <summary>Xavier/Glorot: N(0, 2/(fanIn + fanOut)). Suited to tanh and sigmoid layers.</summary>
    Xavier,

    /// <summary>N(0, scale²) with a given scale, as in CS231n's linear classifiers (scale 0.001).</summary>
    Scaled,
}
