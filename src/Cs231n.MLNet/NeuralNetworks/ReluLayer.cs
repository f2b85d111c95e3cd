using System.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>Rectified linear unit <c>max(0, x)</c>; backward passes the gradient where the output is positive.</summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class ReluLayer<T> : ElementwiseLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a ReLU over rows of <paramref name="size"/> values.</summary>
    public ReluLayer(int size) : base(size)
    {
    }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> input, Span<T> output, bool training)
        => DenseMath.Relu(input, output);

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
        => DenseMath.ReluGradient<T>(LastOutput.Span, outputGradient, inputGradient);
}
