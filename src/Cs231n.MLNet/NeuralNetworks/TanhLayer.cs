using System.Numerics;
using System.Numerics.Tensors;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>Hyperbolic tangent; backward uses the kept output: dx = dout·(1 − out²).</summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class TanhLayer<T> : ElementwiseLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a tanh over rows of <paramref name="size"/> values.</summary>
    public TanhLayer(int size) : base(size)
    {
    }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> input, Span<T> output, bool training)
        => TensorPrimitives.Tanh(input, output);

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        ReadOnlySpan<T> output = LastOutput.Span;
        for (int i = 0; i < output.Length; i++)
            inputGradient[i] = outputGradient[i] * (T.One - output[i] * output[i]);
    }
}
