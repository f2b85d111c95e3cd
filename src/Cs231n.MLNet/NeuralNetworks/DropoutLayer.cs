using System.Numerics;
using System.Numerics.Tensors;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// Inverted dropout: in training each value is zeroed with probability <see cref="DropProbability"/> and the survivors
/// are scaled by 1/(1 − p), so inference is the identity. The mask comes from a seeded generator.
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class DropoutLayer<T> : ElementwiseLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private SeededRandom _random;
    private T[] _mask = [];
    private int _maskLength;
    private bool _maskUsedInTraining;

    /// <summary>Creates a dropout layer over rows of <paramref name="size"/> values.</summary>
    /// <param name="size">Values per row.</param>
    /// <param name="dropProbability">Probability p of zeroing a value, in [0, 1).</param>
    /// <param name="seed">Seed of the mask generator.</param>
    public DropoutLayer(int size, double dropProbability, int seed = 0) : base(size)
    {
        if (!(dropProbability >= 0 && dropProbability < 1))
            throw new ArgumentOutOfRangeException(nameof(dropProbability), dropProbability, $"The dropout probability must be in [0, 1); got {dropProbability}.");
        DropProbability = dropProbability;
        _random = new SeededRandom(seed);
    }

    /// <summary>Probability p of zeroing a value in training.</summary>
    public double DropProbability { get; }

    /// <summary>
    /// When true, the mask of the previous training pass is reused instead of drawing a new one (it is drawn once if
    /// none exists for the current shape). Makes the layer a fixed function, as a numerical gradient check requires.
    /// </summary>
    public bool FreezeMask { get; set; }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> input, Span<T> output, bool training)
    {
        _maskUsedInTraining = training && DropProbability > 0;
        if (!_maskUsedInTraining)
        {
            input.CopyTo(output);
            return;
        }
        if (!FreezeMask || _maskLength != input.Length)
            DrawMask(input.Length);
        TensorPrimitives.Multiply(input, _mask.AsSpan(0, input.Length), output);
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        if (_maskUsedInTraining)
            TensorPrimitives.Multiply(outputGradient, _mask.AsSpan(0, outputGradient.Length), inputGradient);
        else
            outputGradient.CopyTo(inputGradient);
    }

    private void DrawMask(int length)
    {
        ReusableBuffer.EnsureLength(ref _mask, length);
        _maskLength = length;
        // Four 16-bit uniforms per 64-bit draw: the random generator, not the arithmetic, is the cost of a mask.
        // p is thereby quantised to a multiple of 1/65536, far below anything a dropout rate needs.
        ulong threshold = (ulong)Math.Round(DropProbability * 65536);
        T keep = T.One / (T.One - T.CreateChecked(DropProbability));
        Span<T> mask = _mask.AsSpan(0, length);
        int i = 0;
        for (; i + 4 <= mask.Length; i += 4)
        {
            ulong bits = _random.NextUInt64();
            mask[i] = (bits & 0xFFFF) < threshold ? T.Zero : keep;
            mask[i + 1] = ((bits >> 16) & 0xFFFF) < threshold ? T.Zero : keep;
            mask[i + 2] = ((bits >> 32) & 0xFFFF) < threshold ? T.Zero : keep;
            mask[i + 3] = (bits >> 48) < threshold ? T.Zero : keep;
        }
        for (; i < mask.Length; i++)
            mask[i] = (_random.NextUInt64() >> 48) < threshold ? T.Zero : keep;
    }
}
