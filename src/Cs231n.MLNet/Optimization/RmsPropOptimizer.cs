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
        => UpdateInSlices(parameters, gradients, state, new StepScalars(learningRate, T.Zero));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override unsafe void UpdateSlice(T* parameters, T* gradients, T* cache, T* unused, int count, in StepScalars scalars)
    {
        T learningRate = scalars.First;
        T oneMinusDecay = T.One - _decay;
        int i = 0;
        if (Vectorized)
        {
            var decay = new Vector<T>(_decay);
            var rest = new Vector<T>(oneMinusDecay);
            var eps = new Vector<T>(_epsilon);
            var lr = new Vector<T>(learningRate);
            for (; i <= count - Vector<T>.Count; i += Vector<T>.Count)
            {
                var g = Vector.Load(gradients + i);
                var c = Flush(decay * Vector.Load(cache + i) + rest * g * g);
                c.Store(cache + i);
                (Vector.Load(parameters + i) - lr * g / (Vector.SquareRoot(c) + eps)).Store(parameters + i);
            }
        }
        for (; i < count; i++)
        {
            T g = gradients[i];
            T c = Flush(_decay * cache[i] + oneMinusDecay * g * g);
            cache[i] = c;
            parameters[i] -= learningRate * g / (T.Sqrt(c) + _epsilon);
        }
    }
}
