using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        => UpdateInSlices(parameters, gradients, state, new StepScalars(learningRate, T.Zero));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override unsafe void UpdateSlice(T* parameters, T* gradients, T* velocity, T* unused, int count, in StepScalars scalars)
    {
        T learningRate = scalars.First;
        int i = 0;
        if (Vectorized512)
        {
            var mu = Vector512.Create(_momentum);
            var lr = Vector512.Create(learningRate);
            for (; i <= count - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var v = Flush(mu * Vector512.Load(velocity + i) - lr * Vector512.Load(gradients + i));
                Vector512.Store(v, velocity + i);
                Vector512.Store(Vector512.Load(parameters + i) + v, parameters + i);
            }
        }
        if (Vectorized)
        {
            var mu = new Vector<T>(_momentum);
            var lr = new Vector<T>(learningRate);
            for (; i <= count - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = Flush(mu * Vector.Load(velocity + i) - lr * Vector.Load(gradients + i));
                v.Store(velocity + i);
                (Vector.Load(parameters + i) + v).Store(parameters + i);
            }
        }
        for (; i < count; i++)
        {
            T v = Flush(_momentum * velocity[i] - learningRate * gradients[i]);
            velocity[i] = v;
            parameters[i] += v;
        }
    }
}
