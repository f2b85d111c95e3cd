using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Optimization;

/// <summary>
/// Nesterov momentum in CS231n's form: v_prev ← v; v ← μ·v − lr·dw; w ← w − μ·v_prev + (1 + μ)·v.
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class NesterovOptimizer<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _momentum;

    /// <summary>Creates the rule with momentum μ = <paramref name="momentum"/> in [0, 1).</summary>
    public NesterovOptimizer(double momentum = 0.9)
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
        T onePlusMu = T.One + _momentum;
        int i = 0;
        if (Vectorized)
        {
            var mu = new Vector<T>(_momentum);
            var lr = new Vector<T>(learningRate);
            var onePlus = new Vector<T>(onePlusMu);
            for (; i <= parameters.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var previous = new Vector<T>(velocity[i..]);
                var v = Flush(mu * previous - lr * new Vector<T>(gradients[i..]));
                v.CopyTo(velocity[i..]);
                (new Vector<T>(parameters[i..]) - mu * previous + onePlus * v).CopyTo(parameters[i..]);
            }
        }
        for (; i < parameters.Length; i++)
        {
            T previous = velocity[i];
            T v = Flush(_momentum * previous - learningRate * gradients[i]);
            velocity[i] = v;
            parameters[i] += -_momentum * previous + onePlusMu * v;
        }
    }
}
