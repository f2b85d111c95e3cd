using System.Numerics;
using System.Runtime.CompilerServices;

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
        UpdateInSlices(parameters, gradients, state, (w, g, m, v) => Step(w, g, m, v, stepSize, secondCorrection));
    }

    // Fully optimised from the first call: training runs it on every update, starting with the first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Step(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> m, Span<T> v, T stepSize, T secondCorrection)
    {
        T rest1 = T.One - _beta1, rest2 = T.One - _beta2;
        int i = 0;
        if (Vectorized)
        {
            var b1 = new Vector<T>(_beta1);
            var b2 = new Vector<T>(_beta2);
            var r1 = new Vector<T>(rest1);
            var r2 = new Vector<T>(rest2);
            var eps = new Vector<T>(_epsilon);
            var step = new Vector<T>(stepSize);
            var correction = new Vector<T>(secondCorrection);
            for (; i <= parameters.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var g = new Vector<T>(gradients[i..]);
                var mi = Flush(b1 * new Vector<T>(m[i..]) + r1 * g);
                var vi = Flush(b2 * new Vector<T>(v[i..]) + r2 * g * g);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                (new Vector<T>(parameters[i..]) - step * mi / (Vector.SquareRoot(vi * correction) + eps)).CopyTo(parameters[i..]);
            }
        }
        for (; i < parameters.Length; i++)
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
