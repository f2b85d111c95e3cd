using System.Numerics;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.ConvolutionalNetworks;

/// <summary>
/// Scales the learning rate of another update rule by a cosine over the planned number of updates (Loshchilov and
/// Hutter's SGDR without restarts): ½·(1 + cos(π·t / T)), from 1 at the first update to 0 at the last. Counting
/// updates rather than epochs makes the schedule as smooth on 2,000 rows as on 60,000.
/// </summary>
/// <remarks>
/// The solver's schedule is per epoch, so the per-update factor lives here: the wrapped rule sees each update once,
/// with its own step count (Adam's bias correction) intact.
/// </remarks>
internal sealed class CosineAnnealedOptimizer<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Optimizer<T> _inner;
    private readonly int _momentCount;

    /// <summary>Anneals <paramref name="inner"/> over <paramref name="totalUpdates"/> updates of each parameter.</summary>
    public CosineAnnealedOptimizer(Optimizer<T> inner, long totalUpdates)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalUpdates);
        _inner = inner;
        TotalUpdates = totalUpdates;
        var probe = inner.CreateState(1);
        _momentCount = (probe.First.Length > 0 ? 1 : 0) + (probe.Second.Length > 0 ? 1 : 0);
    }

    /// <summary>Updates over which the rate falls to zero.</summary>
    public long TotalUpdates { get; }

    /// <inheritdoc/>
    protected override int MomentCount => _momentCount;

    /// <summary>The factor applied at (one-based) update <paramref name="step"/>.</summary>
    public double Factor(long step) => 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step - 1, TotalUpdates) / TotalUpdates));

    /// <inheritdoc/>
    protected override void UpdateCore(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate)
    {
        long step = state.Step;
        // The base class already counted this update; the inner rule counts it again, so step back first.
        state.Step = step - 1;
        _inner.Update(parameters, gradients, state, learningRate * T.CreateChecked(Factor(step)));
    }
}
