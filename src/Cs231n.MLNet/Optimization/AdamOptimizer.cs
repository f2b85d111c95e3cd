using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.Optimization;

/// <summary>
/// Adam with bias correction: m ← β1·m + (1 − β1)·dw; v ← β2·v + (1 − β2)·dw²; at step t,
/// w ← w − lr·(m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε).
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class AdamOptimizer<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _beta1, _beta2, _epsilon;

    /// <summary>Creates the rule (CS231n defaults β1 = 0.9, β2 = 0.999, ε = 1e-8).</summary>
    public AdamOptimizer(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        if (!(beta1 >= 0 && beta1 < 1))
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, $"Adam's beta1 must be in [0, 1); got {beta1}.");
        if (!(beta2 >= 0 && beta2 < 1))
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"Adam's beta2 must be in [0, 1); got {beta2}.");
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"Epsilon must be positive; got {epsilon}.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _beta1 = T.CreateChecked(beta1);
        _beta2 = T.CreateChecked(beta2);
        _epsilon = T.CreateChecked(epsilon);
    }

    /// <summary>β1, the decay of the running mean of gradients.</summary>
    public double Beta1 { get; }

    /// <summary>β2, the decay of the running mean of squared gradients.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to the root mean square for numerical safety.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override int MomentCount => 2;

    /// <inheritdoc/>
    protected override void UpdateCore(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate)
    {
        // Bias corrections in double: β^t underflows gracefully and the two scalars are computed once per update.
        double t = state.Step;
        T stepSize = learningRate / T.CreateChecked(1 - Math.Pow(Beta1, t));
        T secondCorrection = T.CreateChecked(1 / (1 - Math.Pow(Beta2, t)));
        UpdateInSlices(parameters, gradients, state, new StepScalars(stepSize, secondCorrection));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override unsafe void UpdateSlice(T* parameters, T* gradients, T* m, T* v, int count, in StepScalars scalars)
    {
        T stepSize = scalars.First, secondCorrection = scalars.Second;
        T rest1 = T.One - _beta1, rest2 = T.One - _beta2;
        int i = 0;
        if (Vectorized512)
        {
            var b1 = Vector512.Create(_beta1);
            var b2 = Vector512.Create(_beta2);
            var r1 = Vector512.Create(rest1);
            var r2 = Vector512.Create(rest2);
            var eps = Vector512.Create(_epsilon);
            var step = Vector512.Create(stepSize);
            var correction = Vector512.Create(secondCorrection);
            for (; i <= count - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var g = Vector512.Load(gradients + i);
                var mi = Flush(b1 * Vector512.Load(m + i) + r1 * g);
                var vi = Flush(b2 * Vector512.Load(v + i) + r2 * g * g);
                Vector512.Store(mi, m + i);
                Vector512.Store(vi, v + i);
                Vector512.Store(Vector512.Load(parameters + i) - step * mi / (Vector512.Sqrt(vi * correction) + eps), parameters + i);
            }
        }
        if (Vectorized)
        {
            var b1 = new Vector<T>(_beta1);
            var b2 = new Vector<T>(_beta2);
            var r1 = new Vector<T>(rest1);
            var r2 = new Vector<T>(rest2);
            var eps = new Vector<T>(_epsilon);
            var step = new Vector<T>(stepSize);
            var correction = new Vector<T>(secondCorrection);
            for (; i <= count - Vector<T>.Count; i += Vector<T>.Count)
            {
                var g = Vector.Load(gradients + i);
                var mi = Flush(b1 * Vector.Load(m + i) + r1 * g);
                var vi = Flush(b2 * Vector.Load(v + i) + r2 * g * g);
                mi.Store(m + i);
                vi.Store(v + i);
                (Vector.Load(parameters + i) - step * mi / (Vector.SquareRoot(vi * correction) + eps)).Store(parameters + i);
            }
        }
        for (; i < count; i++)
        {
            T g = gradients[i];
            T mi = Flush(_beta1 * m[i] + rest1 * g);
            T vi = Flush(_beta2 * v[i] + rest2 * g * g);
            m[i] = mi;
            v[i] = vi;
            parameters[i] -= stepSize * mi / (T.Sqrt(vi * secondCorrection) + _epsilon);
        }
    }
}
