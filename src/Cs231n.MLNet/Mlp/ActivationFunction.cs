namespace Cs231n.MLNet;

/// <summary>The nonlinearity after every hidden layer of a multilayer perceptron.</summary>
public enum ActivationFunction
{
    /// <summary>max(0, x); weights get He initialisation.</summary>
    Relu,

    /// <summary>x for x &gt; 0, 0.01·x otherwise; weights get He initialisation.</summary>
    LeakyRelu,

    /// <summary>tanh(x); weights get Xavier/Glorot initialisation.</summary>
    Tanh,

    /// <summary>1/(1 + e^−x); weights get Xavier/Glorot initialisation.</summary>
    Sigmoid,
}
