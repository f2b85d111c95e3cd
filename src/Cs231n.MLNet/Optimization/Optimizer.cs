using System.Numerics;
using Cs231n.MLNet.Numerics;

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

    /// <summary>The element-wise part of a rule, applied to one slice of a parameter array and its moments.</summary>
    /// <param name="parameters">The slice of the parameters.</param>
    /// <param name="gradients">The same slice of the gradients.</param>
    /// <param name="first">The same slice of the first moment (empty when the rule keeps none).</param>
    /// <param name="second">The same slice of the second moment (empty when the rule keeps none).</param>
    private protected delegate void SliceUpdate(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> first, Span<T> second);

    /// <summary>
    /// Runs an element-wise rule over the whole array, in slices on all worker threads when the array is large (the
    /// weight matrices of a network): the update is memory-bound, and two cores move twice the data. Every element
    /// goes through the same arithmetic whichever slice holds it, so results do not depend on the thread count.
    /// </summary>
    private protected static unsafe void UpdateInSlices(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, SliceUpdate update)
    {
        int length = parameters.Length, threads = NumericsSettings.MaxDegreeOfParallelism;
        if (length < ParallelLength || threads == 1)
        {
            update(parameters, gradients, state.First, state.Second);
            return;
        }
        T[] first = state.First, second = state.Second;
        int slices = 2 * threads;
        int sliceLength = (length / slices + SliceAlignment - 1) / SliceAlignment * SliceAlignment;
        fixed (T* w = parameters, g = gradients)
        {
            nint wAddress = (nint)w, gAddress = (nint)g;
            ParallelWork.For((length + sliceLength - 1) / sliceLength, s =>
            {
                int start = s * sliceLength, count = Math.Min(sliceLength, length - start);
                update(new Span<T>((T*)wAddress + start, count), new ReadOnlySpan<T>((T*)gAddress + start, count),
                    first.Length == 0 ? default : first.AsSpan(start, count), second.Length == 0 ? default : second.AsSpan(start, count));
            });
        }
    }

    /// <summary>Arrays shorter than this are updated on the calling thread: the hand-off would cost more than it saves.</summary>
    private const int ParallelLength = 1 << 15;

    /// <summary>Slices start on multiples of this many values, whole cache lines and whole vectors.</summary>
    private const int SliceAlignment = 64;

    /// <summary>Zeroes lanes whose magnitude is below <see cref="FlushThreshold"/>.</summary>
    protected static Vector<T> Flush(Vector<T> values)
        => Vector.ConditionalSelect(Vector.GreaterThanOrEqual(Vector.Abs(values), new Vector<T>(Tiny)), values, Vector<T>.Zero);

    /// <summary>Scalar form of <see cref="Flush(Vector{T})"/>.</summary>
    protected static T Flush(T value) => T.Abs(value) >= Tiny ? value : T.Zero;

    /// <summary>Whether the vector paths can be used for <typeparamref name="T"/>.</summary>
    protected static bool Vectorized => Vector.IsHardwareAccelerated && Vector<T>.IsSupported;

    private static readonly T Tiny = T.CreateChecked(FlushThreshold);
}
