namespace Cs231n.MLNet;

/// <summary>The update rule a trainer uses; each has CS231n's default hyper-parameters.</summary>
public enum OptimizationAlgorithm
{
    /// <summary>Vanilla stochastic gradient descent.</summary>
    Sgd,

    /// <summary>SGD with momentum 0.9.</summary>
    Momentum,

    /// <summary>Nesterov momentum 0.9.</summary>
    Nesterov,

    /// <summary>RMSProp with decay 0.99, ε 1e-8.</summary>
    RmsProp,

    /// <summary>Adam with β1 0.9, β2 0.999, ε 1e-8.</summary>
    Adam,
}
