using System.Numerics;
using System.Runtime.CompilerServices;

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
    /// <remarks>
    /// Written out rather than a library call, and compiled fully optimised from the first call: a library call would
    /// run unoptimised for a process's first training steps. Same results as <c>TensorPrimitives.Max(x, 0)</c>, NaN
    /// and signed zeros included (both follow IEEE 754's maximum).
    /// </remarks>
    protected override void Apply(ReadOnlySpan<T> input, Span<T> output, bool training) => Rectify(input, output);

    /// <summary>
    /// output = max(input, 0) element by element, NaN kept (IEEE 754's maximum, as <c>TensorPrimitives.Max</c>);
    /// <paramref name="output"/> may be <paramref name="input"/>. Shared with the packed scorers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Rectify(ReadOnlySpan<T> input, Span<T> output)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i <= input.Length - Vector<T>.Count; i += Vector<T>.Count)
                Vector.Max(new Vector<T>(input[i..]), Vector<T>.Zero).CopyTo(output[i..]);
        }
        for (; i < input.Length; i++)
            output[i] = T.Max(input[i], T.Zero);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
