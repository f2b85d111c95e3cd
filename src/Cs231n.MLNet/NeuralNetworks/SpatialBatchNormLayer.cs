using System.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// Spatial batch normalisation (CS231n's spatial_batchnorm_forward): each channel of C×H×W images is normalised over
/// every image and pixel of the minibatch.
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class SpatialBatchNormLayer<T> : BatchNormalizationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer over images of <paramref name="shape"/>.</summary>
    /// <param name="shape">C×H×W of each row.</param>
    /// <param name="momentum">Weight of the old running statistics in each update, in [0, 1).</param>
    /// <param name="epsilon">Added to the variance before the square root.</param>
    public SpatialBatchNormLayer(ImageShape shape, double momentum = 0.9, double epsilon = 1e-5)
        : base(shape.Validated(nameof(shape)).Channels, shape.PlaneSize, momentum, epsilon)
    {
        Shape = shape;
    }

    /// <summary>C×H×W of each row.</summary>
    public ImageShape Shape { get; }
}
