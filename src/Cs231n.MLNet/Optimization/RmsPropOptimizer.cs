using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Optimization;

/// <summary>RMSProp: cache ← ρ·cache + (1 − ρ)·dw²; w ← w − lr·dw / (√cache + ε).</summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class RmsPropOptimizer<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _decay, _epsilon;

    /// <summary>Creates the rule with decay ρ in [0, 1) (CS231n: 0.99) and ε &gt; 0 (1e-8).</summary>
    public RmsPropOptimizer(double decayRate = 0.99, double epsilon = 1e-8)
    {
        if (!(decayRate >= 0 && decayRate < 1))
            throw new ArgumentOutOfRangeException(nameof(decayRate), decayRate, $"The RMSProp decay rate must be in [0, 1); got {decayRate}.");
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"Epsilon must be positive; got {epsilon}.");
        DecayRate = decayRate;
        Epsilon = epsilon;
        _decay = T.CreateChecked(decayRate);
        _epsilon = T.CreateChecked(epsilon);
    }

    /// <summary>ρ, the decay of the running mean of squared gradients.</summary>
    public double DecayRate { get; }

    /// <summary>ε, added to the root mean square for numerical safety.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override int MomentCount => 1;

    /// <inheritdoc/>
    protected override void UpdateCore(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate)
        => UpdateInSlices(parameters, gradients, state, (w, g, cache, _) => Step(w, g, cache, learningRate));

    // Fully optimised from the first call: training runs it on every update, starting with the first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Step(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> cache, T learningRate)
    {
        T oneMinusDecay = T.One - _decay;
        int i = 0;
        if (Vectorized)
        {
            var decay = new Vector<T>(_decay);
            var rest = new Vector<T>(oneMinusDecay);
            var eps = new Vector<T>(_epsilon);
            var lr = new Vector<T>(learningRate);
            for (; i <= parameters.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var g = new Vector<T>(gradients[i..]);
                var c = Flush(decay * new Vector<T>(cache[i..]) + rest * g * g);
                c.CopyTo(cache[i..]);
                (new Vector<T>(parameters[i..]) - lr * g / (Vector.SquareRoot(c) + eps)).CopyTo(parameters[i..]);
            }
        }
        for (; i < parameters.Length; i++)
        {
            T g = gradients[i];
            T c = Flush(_decay * cache[i] + oneMinusDecay * g * g);
            cache[i] = c;
            parameters[i] -= learningRate * g / (T.Sqrt(c) + _epsilon);
        }
    }
}
