using System.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>Leaky ReLU <c>x if x &gt; 0 else slope·x</c>, which keeps a small gradient for negative inputs.</summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class LeakyReluLayer<T> : ElementwiseLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _slope;

    /// <summary>Creates a leaky ReLU over rows of <paramref name="size"/> values.</summary>
    /// <param name="size">Values per row.</param>
    /// <param name="negativeSlope">Slope for negative inputs, in [0, 1); CS231n's default is 0.01.</param>
    public LeakyReluLayer(int size, double negativeSlope = 0.01) : base(size)
    {
        if (!(negativeSlope >= 0 && negativeSlope < 1))
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, $"The negative slope of a leaky ReLU must be in [0, 1); got {negativeSlope}.");
        NegativeSlope = negativeSlope;
        _slope = T.CreateChecked(negativeSlope);
    }

    /// <summary>Slope for negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> input, Span<T> output, bool training)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var slope = new Vector<T>(_slope);
            for (; i <= input.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var x = new Vector<T>(input[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), x, x * slope).CopyTo(output[i..]);
            }
        }
        for (; i < input.Length; i++)
            output[i] = input[i] > T.Zero ? input[i] : input[i] * _slope;
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        ReadOnlySpan<T> input = LastInput.Span;
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var slope = new Vector<T>(_slope);
            for (; i <= input.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var g = new Vector<T>(outputGradient[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(new Vector<T>(input[i..]), Vector<T>.Zero), g, g * slope).CopyTo(inputGradient[i..]);
            }
        }
        for (; i < input.Length; i++)
            inputGradient[i] = input[i] > T.Zero ? outputGradient[i] : outputGradient[i] * _slope;
    }
}
