using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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

    /// <summary>The scalars of one update that every slice of it shares (what they mean is the rule's).</summary>
    internal readonly record struct StepScalars(T First, T Second);

    /// <summary>
    /// The element-wise part of a rule, applied to <paramref name="count"/> values from the given addresses: the
    /// parameters, their gradients and the same values of the first and second moments (null when the rule keeps none).
    /// </summary>
    private protected virtual unsafe void UpdateSlice(T* parameters, T* gradients, T* first, T* second, int count, in StepScalars scalars)
        => throw new NotSupportedException($"{GetType().Name} has no element-wise update.");

    /// <summary>
    /// Runs <see cref="UpdateSlice"/> over the whole array, in slices on all worker threads when the array is large (the
    /// weight matrices of a network): the update is memory-bound, and two cores move twice the data. Every element
    /// goes through the same arithmetic whichever slice holds it, so results do not depend on the thread count. The
    /// hand-off reuses one job per state, so an update allocates nothing.
    /// </summary>
    private protected unsafe void UpdateInSlices(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, in StepScalars scalars)
    {
        int length = parameters.Length, threads = NumericsSettings.MaxDegreeOfParallelism;
        fixed (T* w = parameters, g = gradients, first = state.First, second = state.Second)
        {
            if (length < ParallelLength || threads == 1)
            {
                UpdateSlice(w, g, first, second, length, scalars);
                return;
            }
            int slices = 2 * threads;
            int sliceLength = (length / slices + SliceAlignment - 1) / SliceAlignment * SliceAlignment;
            var job = state.SliceJob ??= new SliceJob();
            job.Set(this, w, g, first, second, length, sliceLength, scalars);
            try
            {
                ParallelWork.For((length + sliceLength - 1) / sliceLength, job.Run);
            }
            finally
            {
                job.Clear();
            }
        }
    }

    /// <summary>One parallel update's shared, read-only state; kept by the <see cref="OptimizerState{T}"/> it updates.</summary>
    internal sealed unsafe class SliceJob
    {
        private Optimizer<T>? _rule;
        private T* _w, _g, _first, _second;
        private int _length, _sliceLength;
        private StepScalars _scalars;

        public SliceJob() => Run = RunSlice;

        /// <summary>The body of the parallel loop: updates slice <c>s</c>.</summary>
        public Action<int> Run { get; }

        public void Set(Optimizer<T> rule, T* w, T* g, T* first, T* second, int length, int sliceLength, in StepScalars scalars)
        {
            (_rule, _length, _sliceLength, _scalars) = (rule, length, sliceLength, scalars);
            _w = w;
            _g = g;
            _first = first;
            _second = second;
        }

        /// <summary>Drops the addresses, which are only valid while the caller keeps the arrays pinned.</summary>
        public void Clear()
        {
            _rule = null;
            _w = _g = _first = _second = null;
        }

        private void RunSlice(int s)
        {
            int start = s * _sliceLength, count = Math.Min(_sliceLength, _length - start);
            _rule!.UpdateSlice(_w + start, _g + start, _first == null ? null : _first + start, _second == null ? null : _second + start, count, _scalars);
        }
    }

    /// <summary>Arrays shorter than this are updated on the calling thread: the hand-off would cost more than it saves.</summary>
    private const int ParallelLength = 1 << 15;

    /// <summary>Slices start on multiples of this many values, whole cache lines and whole vectors.</summary>
    private const int SliceAlignment = 64;

    /// <summary>Zeroes lanes whose magnitude is below <see cref="FlushThreshold"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> Flush(Vector<T> values)
        => Vector.ConditionalSelect(Vector.GreaterThanOrEqual(Vector.Abs(values), new Vector<T>(Tiny)), values, Vector<T>.Zero);

    /// <summary>512-bit form of <see cref="Flush(Vector{T})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected static Vector512<T> Flush(Vector512<T> values)
        => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512.Abs(values), Vector512.Create(Tiny)), values, Vector512<T>.Zero);

    /// <summary>Scalar form of <see cref="Flush(Vector{T})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static T Flush(T value) => T.Abs(value) >= Tiny ? value : T.Zero;

    /// <summary>Whether the vector paths can be used for <typeparamref name="T"/>.</summary>
    protected static bool Vectorized => Vector.IsHardwareAccelerated && Vector<T>.IsSupported;

    /// <summary>Whether the 512-bit paths can be used for <typeparamref name="T"/>; they come before the <see cref="Vector{T}"/> ones.</summary>
    private protected static bool Vectorized512 => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported;

    private static readonly T Tiny = T.CreateChecked(FlushThreshold);
}
