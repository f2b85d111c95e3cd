using System.Numerics;
using System.Numerics.Tensors;

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
        => TensorPrimitives.Max(input, T.Zero, output);

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        ReadOnlySpan<T> output = LastOutput.Span;
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i <= output.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var active = Vector.GreaterThan(new Vector<T>(output[i..]), Vector<T>.Zero);
                Vector.ConditionalSelect(active, new Vector<T>(outputGradient[i..]), Vector<T>.Zero).CopyTo(inputGradient[i..]);
            }
        }
        for (; i < output.Length; i++)
            inputGradient[i] = output[i] > T.Zero ? outputGradient[i] : T.Zero;
    }
}
