using System.Numerics;

namespace Cs231n.MLNet.Optimization;

/// <summary>
/// A first-order update rule with CS231n's shape: given a parameter array, its gradient and per-parameter state,
/// update the parameters in place. Moment arrays have values below <see cref="FlushThreshold"/> in magnitude set to
/// zero, so long runs never slow down on denormal arithmetic.
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Magnitude below which moment values are flushed to zero (1e-30, far above float's denormal range).</summary>
    public const double FlushThreshold = 1e-30;

    /// <summary>Number of moment arrays the rule keeps per parameter.</summary>
    protected abstract int MomentCount { get; }

    /// <summary>Creates the (zeroed) state for a parameter array of <paramref name="length"/> values.</summary>
    public OptimizerState<T> CreateState(int length) => new(length, MomentCount);

    /// <summary>Applies one update to <paramref name="parameters"/> with <paramref name="learningRate"/>.</summary>
    /// <exception cref="ArgumentException">The lengths of parameters, gradients and state disagree.</exception>
    public void Update(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (gradients.Length != parameters.Length || state.Length != parameters.Length)
            throw new ArgumentException($"Parameters ({parameters.Length}), gradients ({gradients.Length}) and optimiser state ({state.Length}) must have the same length.");
        state.Step++;
        UpdateCore(parameters, gradients, state, learningRate);
    }

    /// <summary>The update rule; <see cref="OptimizerState{T}.Step"/> already counts this update.</summary>
    protected abstract void UpdateCore(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, T learningRate);

    /// <summary>Zeroes lanes whose magnitude is below <see cref="FlushThreshold"/>.</summary>
    protected static Vector<T> Flush(Vector<T> values)
        => Vector.ConditionalSelect(Vector.GreaterThanOrEqual(Vector.Abs(values), new Vector<T>(Tiny)), values, Vector<T>.Zero);

    /// <summary>Scalar form of <see cref="Flush(Vector{T})"/>.</summary>
    protected static T Flush(T value) => T.Abs(value) >= Tiny ? value : T.Zero;

    /// <summary>Whether the vector paths can be used for <typeparamref name="T"/>.</summary>
    protected static bool Vectorized => Vector.IsHardwareAccelerated && Vector<T>.IsSupported;

    private static readonly T Tiny = T.CreateChecked(FlushThreshold);
}
