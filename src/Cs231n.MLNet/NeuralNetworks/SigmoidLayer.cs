using System.Numerics;
using System.Numerics.Tensors;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>Logistic sigmoid 1/(1 + e^−x); backward uses the kept output: dx = dout·out·(1 − out).</summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class SigmoidLayer<T> : ElementwiseLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a sigmoid over rows of <paramref name="size"/> values.</summary>
    public SigmoidLayer(int size) : base(size)
    {
    }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> input, Span<T> output, bool training)
        => TensorPrimitives.Sigmoid(input, output);

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        ReadOnlySpan<T> output = LastOutput.Span;
        for (int i = 0; i < output.Length; i++)
            inputGradient[i] = outputGradient[i] * output[i] * (T.One - output[i]);
    }
}
