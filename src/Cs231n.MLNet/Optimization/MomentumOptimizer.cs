using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Optimization;

/// <summary>SGD with momentum (CS231n's sgd_momentum): v ← μ·v − lr·dw; w ← w + v.</summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class MomentumOptimizer<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _momentum;

    /// <summary>Creates the rule with momentum μ = <paramref name="momentum"/> in [0, 1).</summary>
    public MomentumOptimizer(double momentum = 0.9)
    {
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"The momentum must be in [0, 1); got {momentum}.");
        Momentum = momentum;
        _momentum = T.CreateChecked(momentum);
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <inheritdoc/>
    protected override int MomentCount => 1;

    /// <inheritdoc/>
    protected override void UpdateCore(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate)
        => UpdateInSlices(parameters, gradients, state, (w, g, velocity, _) => Step(w, g, velocity, learningRate));

    // Fully optimised from the first call: training runs it on every update, starting with the first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Step(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> velocity, T learningRate)
    {
        int i = 0;
        if (Vectorized)
        {
            var mu = new Vector<T>(_momentum);
            var lr = new Vector<T>(learningRate);
            for (; i <= parameters.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = Flush(mu * new Vector<T>(velocity[i..]) - lr * new Vector<T>(gradients[i..]));
                v.CopyTo(velocity[i..]);
                (new Vector<T>(parameters[i..]) + v).CopyTo(parameters[i..]);
            }
        }
        for (; i < parameters.Length; i++)
        {
            T v = Flush(_momentum * velocity[i] - learningRate * gradients[i]);
            velocity[i] = v;
            parameters[i] += v;
        }
    }
}
