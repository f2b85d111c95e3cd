using System.Numerics;
using System.Numerics.Tensors;

namespace Cs231n.MLNet.Optimization;

/// <summary>Vanilla stochastic gradient descent: w ← w − lr·dw.</summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class SgdOptimizer<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    protected override int MomentCount => 0;

    /// <inheritdoc/>
    protected override void UpdateCore(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate)
        => TensorPrimitives.MultiplyAdd(gradients, -learningRate, parameters, parameters);
}
