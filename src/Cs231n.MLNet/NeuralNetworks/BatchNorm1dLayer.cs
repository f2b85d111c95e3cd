using System.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>Batch normalisation of each feature over the minibatch (CS231n's batchnorm_forward); rows are N×D.</summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class BatchNorm1dLayer<T> : BatchNormalizationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer over rows of <paramref name="size"/> features.</summary>
    /// <param name="size">D, the number of features.</param>
    /// <param name="momentum">Weight of the old running statistics in each update, in [0, 1).</param>
    /// <param name="epsilon">Added to the variance before the square root.</param>
    public BatchNorm1dLayer(int size, double momentum = 0.9, double epsilon = 1e-5) : base(size, 1, momentum, epsilon)
    {
    }
}
