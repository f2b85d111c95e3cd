using System.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// Marks the step from images to feature vectors (PyTorch's <c>nn.Flatten</c>). Rows already hold each C×H×W image
/// flattened in channel-major order, so the layer passes values through unchanged; it records the shape it flattens.
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class FlattenLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer for images of <paramref name="input"/> shape.</summary>
    public FlattenLayer(ImageShape input)
    {
        Input = input.Validated(nameof(input));
    }

    /// <summary>C×H×W of each input row.</summary>
    public ImageShape Input { get; }

    /// <inheritdoc/>
    public override int InputSize => Input.Size;

    /// <inheritdoc/>
    public override int OutputSize => Input.Size;

    /// <inheritdoc/>
    protected override Matrix<T> ForwardCore(Matrix<T> input, bool training) => input;

    /// <inheritdoc/>
    protected override Matrix<T> BackwardCore(Matrix<T> outputGradient) => ComputesInputGradient ? outputGradient : default;
}
