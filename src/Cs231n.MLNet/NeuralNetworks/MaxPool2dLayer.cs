using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// Max pooling over <see cref="PoolSize"/>² windows moved by <see cref="Stride"/>, channel by channel. Shapes: x is
/// N×(C·H·W), out is N×(C·H'·W') with H' = ⌊(H − size) / stride⌋ + 1. Backward routes each gradient to the position
/// that held the maximum (the first one on ties), remembered from the forward pass. With <see cref="Rectifies"/> the
/// layer is max pooling followed by a ReLU in one pass: the output is max(0, window maximum), and the gradient reaches
/// the input only where that output is positive.
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class MaxPool2dLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Action<int> _forwardImage, _backwardImage;
    private T[] _output = [], _inputGradient = [];
    // Input position of each output's maximum, or NoGradient where a rectified output is not positive.
    private int[] _argMax = [];
    private const int NoGradient = -1;
    private Matrix<T> _input, _currentOutput, _currentOutputGradient, _currentInputGradient;

    /// <summary>Creates a pooling layer over images of <paramref name="input"/> shape.</summary>
    /// <param name="input">C×H×W of each input row.</param>
    /// <param name="poolSize">Height and width of each window.</param>
    /// <param name="stride">Step between windows; null for <paramref name="poolSize"/> (non-overlapping windows).</param>
    // Kept beside the rectifying overload so that code compiled against the earlier three-parameter constructor still binds.
    public MaxPool2dLayer(ImageShape input, int poolSize, int? stride)
        : this(input, poolSize, stride, rectify: false)
    {
    }

    /// <summary>Creates a pooling layer over images of <paramref name="input"/> shape, optionally followed by a ReLU in the same pass.</summary>
    /// <param name="input">C×H×W of each input row.</param>
    /// <param name="poolSize">Height and width of each window.</param>
    /// <param name="stride">Step between windows; null for <paramref name="poolSize"/> (non-overlapping windows).</param>
    /// <param name="rectify">Whether to apply a ReLU to the pooled values in the same pass (see <see cref="Rectifies"/>).</param>
    public MaxPool2dLayer(ImageShape input, int poolSize = 2, int? stride = null, bool rectify = false)
    {
        Input = input.Validated(nameof(input));
        if (poolSize < 1 || poolSize > Math.Min(input.Height, input.Width))
            throw new ArgumentOutOfRangeException(nameof(poolSize), poolSize, $"The pooling window must be between 1 and the image's smaller side {Math.Min(input.Height, input.Width)} ({input}); got {poolSize}.");
        int s = stride ?? poolSize;
        if (s < 1)
            throw new ArgumentOutOfRangeException(nameof(stride), s, $"The pooling stride must be at least 1; got {s}.");
        PoolSize = poolSize;
        Stride = s;
        Rectifies = rectify;
        Output = new ImageShape(input.Channels, (input.Height - poolSize) / s + 1, (input.Width - poolSize) / s + 1);
        _forwardImage = ForwardImage;
        _backwardImage = BackwardImage;
    }

    /// <summary>C×H×W of each input row.</summary>
    public ImageShape Input { get; }

    /// <summary>C×H'×W' of each output row.</summary>
    public ImageShape Output { get; }

    /// <summary>Height and width of each window.</summary>
    public int PoolSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>
    /// Whether the output is rectified: max(0, ·) of each window's maximum, with NaN kept, exactly as this layer followed
    /// by a <see cref="ReluLayer{T}"/> computes it (and its gradient, which stops where the output is not positive) but
    /// without a second pass over the batch.
    /// </summary>
    public bool Rectifies { get; }

    /// <inheritdoc/>
    public override int InputSize => Input.Size;

    /// <inheritdoc/>
    public override int OutputSize => Output.Size;

    /// <inheritdoc/>
    protected override Matrix<T> ForwardCore(Matrix<T> input, bool training)
    {
        _input = input;
        _currentOutput = Matrix<T>.Reuse(ref _output, input.Rows, OutputSize);
        if (_argMax.Length < input.Rows * OutputSize)
            _argMax = new int[input.Rows * OutputSize];
        ParallelWork.For(input.Rows, _forwardImage, worthParallelising: input.Rows > 1);
        return _currentOutput;
    }

    /// <inheritdoc/>
    protected override Matrix<T> BackwardCore(Matrix<T> outputGradient)
    {
        if (!ComputesInputGradient)
            return default;
        _currentOutputGradient = outputGradient;
        _currentInputGradient = Matrix<T>.Reuse(ref _inputGradient, outputGradient.Rows, InputSize);
        ParallelWork.For(outputGradient.Rows, _backwardImage, worthParallelising: outputGradient.Rows > 1);
        return _currentInputGradient;
    }

    // Fully optimised from the first call: training calls it thousands of times, starting with its first step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardImage(int image)
    {
        ReadOnlySpan<T> x = _input.Row(image);
        Span<T> y = _currentOutput.Row(image);
        Span<int> where = _argMax.AsSpan(image * OutputSize, OutputSize);
        int h = Input.Height, w = Input.Width, oh = Output.Height, ow = Output.Width, size = PoolSize, s = Stride;
        bool pairs = size == 2 && s == 2;
        for (int c = 0; c < Input.Channels; c++)
        {
            int plane = c * h * w;
            for (int oy = 0; oy < oh; oy++)
            {
                int o = (c * oh + oy) * ow;
                int top = plane + oy * s * w;
                if (pairs)
                {
                    // The common 2×2/2 window, unrolled: four candidates, first maximum wins, NaN propagates.
                    int ox = 0;
                    if (typeof(T) == typeof(float) && Avx2.IsSupported)
                        ox = PairsAvx2(MemoryMarshal.Cast<T, float>(x), top, w, MemoryMarshal.Cast<T, float>(y).Slice(o, ow), where.Slice(o, ow), Rectifies);
                    for (; ox < ow; ox++)
                    {
                        int a = top + 2 * ox, b = a + w;
                        int best = a;
                        T max = x[a];
                        if (x[a + 1] > max || T.IsNaN(x[a + 1])) { max = x[a + 1]; best = a + 1; }
                        if (x[b] > max || T.IsNaN(x[b])) { max = x[b]; best = b; }
                        if (x[b + 1] > max || T.IsNaN(x[b + 1])) { max = x[b + 1]; best = b + 1; }
                        if (Rectifies)
                            Rectify(ref max, ref best);
                        y[o + ox] = max;
                        where[o + ox] = best;
                    }
                    continue;
                }
                // Seed every window of the output row with its first row, then let the remaining rows compete.
                for (int ox = 0; ox < ow; ox++)
                    Window(x, top + ox * s, size, ref y[o + ox], ref where[o + ox], seed: true);
                for (int i = 1; i < size; i++)
                {
                    for (int ox = 0; ox < ow; ox++)
                        Window(x, top + i * w + ox * s, size, ref y[o + ox], ref where[o + ox], seed: false);
                }
            }
            // The channel's outputs are still in the first-level cache.
            if (Rectifies && !pairs)
                Rectify(y.Slice(c * oh * ow, oh * ow), where.Slice(c * oh * ow, oh * ow));
        }
    }

    /// <summary>
    /// 2×2/2 windows of one output row eight at a time: the even and odd columns of the two input rows are separated by
    /// shuffles and compete in the same order as the scalar loop, and with <paramref name="rectify"/> the maxima are
    /// rectified as <see cref="Rectify(Span{T}, Span{int})"/> does. A row whose window count is not a multiple of eight
    /// ends with its last eight windows, rewriting some outputs with the same values; a row of fewer than eight reads
    /// past its end (into the next row) and stores only its own lanes. Returns the first window not done: 0 when that
    /// read would pass the end of <paramref name="x"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe int PairsAvx2(ReadOnlySpan<float> x, int top, int w, Span<float> y, Span<int> where, bool rectify)
    {
        int ow = y.Length;
        if (top + w + 16 > x.Length)
            return 0;
        ref float input = ref MemoryMarshal.GetReference(x);
        Vector256<int> lanes = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        Vector256<int> right = Vector256.Create(1), below = Vector256.Create(w), belowRight = Vector256.Create(w + 1);
        for (int ox = 0; ; ox += 8)
        {
            if (ow >= 8)
                ox = Math.Min(ox, ow - 8);
            int a = top + 2 * ox;
            Vector256<float> t0 = Vector256.LoadUnsafe(ref input, (nuint)a), t1 = Vector256.LoadUnsafe(ref input, (nuint)(a + 8));
            Vector256<float> b0 = Vector256.LoadUnsafe(ref input, (nuint)(a + w)), b1 = Vector256.LoadUnsafe(ref input, (nuint)(a + w + 8));
            Vector256<float> max = Even(t0, t1);
            Vector256<int> offset = Vector256<int>.Zero;
            Compete(Odd(t0, t1), right, ref max, ref offset);
            Compete(Even(b0, b1), below, ref max, ref offset);
            Compete(Odd(b0, b1), belowRight, ref max, ref offset);
            Vector256<int> at = Vector256.Create(a) + lanes + offset;
            if (rectify)
            {
                Vector256<float> positive = Vector256.GreaterThan(max, Vector256<float>.Zero);
                max = Vector256.ConditionalSelect(positive | ~Vector256.Equals(max, max), max, Vector256<float>.Zero);
                at = Vector256.ConditionalSelect(positive.AsInt32(), at, Vector256.Create(NoGradient));
            }
            if (ow < 8)
            {
                Vector256<int> own = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(ow));
                fixed (float* output = y)
                fixed (int* position = where)
                {
                    Avx.MaskStore(output, own.AsSingle(), max);
                    Avx2.MaskStore(position, own, at);
                }
                return ow;
            }
            max.CopyTo(y.Slice(ox, 8));
            at.CopyTo(where.Slice(ox, 8));
            if (ox == ow - 8)
                return ow;
        }
    }

    private static Vector256<float> Even(Vector256<float> a, Vector256<float> b)
        => Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();

    private static Vector256<float> Odd(Vector256<float> a, Vector256<float> b)
        => Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();

    /// <summary>The candidate wins where it is larger or NaN, as in the scalar loop.</summary>
    private static void Compete(Vector256<float> candidate, Vector256<int> candidateOffset, ref Vector256<float> max, ref Vector256<int> offset)
    {
        Vector256<float> wins = Vector256.GreaterThan(candidate, max) | ~Vector256.Equals(candidate, candidate);
        max = Vector256.ConditionalSelect(wins, candidate, max);
        offset = Vector256.ConditionalSelect(wins.AsInt32(), candidateOffset, offset);
    }

    /// <summary>
    /// ReLU of pooled values in place, as <see cref="System.Numerics.Tensors.TensorPrimitives.Max{T}(ReadOnlySpan{T}, T, Span{T})"/>
    /// with zero computes it: NaN stays, −0 and negatives become +0. Outputs that are not positive lose their gradient.
    /// </summary>
    internal static void Rectify(Span<T> y, Span<int> where)
    {
        int i = 0;
        if (typeof(T) == typeof(float) && Vector.IsHardwareAccelerated)
        {
            Span<float> values = MemoryMarshal.Cast<T, float>(y);
            Vector<int> none = new(NoGradient);
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(values[i..]);
                Vector<int> positive = Vector.GreaterThan(v, Vector<float>.Zero);
                Vector.ConditionalSelect(positive | ~Vector.Equals(v, v), v, Vector<float>.Zero).CopyTo(values[i..]);
                Vector.ConditionalSelect(positive, new Vector<int>(where[i..]), none).CopyTo(where[i..]);
            }
        }
        for (; i < y.Length; i++)
            Rectify(ref y[i], ref where[i]);
    }

    /// <summary>One value of <see cref="Rectify(Span{T}, Span{int})"/>.</summary>
    private static void Rectify(ref T max, ref int at)
    {
        if (max > T.Zero)
            return;
        at = NoGradient;
        if (!T.IsNaN(max))
            max = T.Zero;
    }

    /// <summary>Folds <paramref name="size"/> consecutive values starting at <paramref name="start"/> into the running maximum; NaN wins and stays.</summary>
    private static void Window(ReadOnlySpan<T> x, int start, int size, ref T max, ref int at, bool seed)
    {
        int j = 0;
        if (seed)
        {
            max = x[start];
            at = start;
            j = 1;
        }
        for (; j < size; j++)
        {
            T v = x[start + j];
            if (v > max || (T.IsNaN(v) && !T.IsNaN(max)))
            {
                max = v;
                at = start + j;
            }
        }
    }

    // Fully optimised from the first call: training calls it thousands of times, starting with its first step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BackwardImage(int image)
    {
        ReadOnlySpan<T> dy = _currentOutputGradient.Row(image);
        Span<T> dx = _currentInputGradient.Row(image);
        ReadOnlySpan<int> where = _argMax.AsSpan(image * OutputSize, OutputSize);
        if (Stride == PoolSize)
        {
            BackwardDisjoint(dy, dx, where);
            return;
        }
        dx.Clear();
        // Overlapping windows can share a maximum, whose gradients add up.
        for (int o = 0; o < dy.Length; o++)
        {
            if (where[o] != NoGradient)
                dx[where[o]] += dy[o];
        }
    }

    /// <summary>
    /// The backward pass of windows that do not overlap: every input position is written once, with its window's
    /// gradient at the maximum and zero elsewhere (and in the rows and columns no window covers), instead of clearing
    /// the input gradient and then scattering into it. The gradient is written as 0 + dy, the sum the scatter makes,
    /// so a −0 upstream becomes +0 exactly as before.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BackwardDisjoint(ReadOnlySpan<T> dy, Span<T> dx, ReadOnlySpan<int> where)
    {
        int h = Input.Height, w = Input.Width, oh = Output.Height, ow = Output.Width, size = PoolSize;
        int covered = ow * size;
        bool pairs = size == 2 && ow >= 4 && typeof(T) == typeof(float) && Avx2.IsSupported;
        for (int c = 0; c < Input.Channels; c++)
        {
            int plane = c * h * w, planeOutput = c * oh * ow;
            if (pairs && ow >= 8 && Avx512F.IsSupported)
                PairsBackwardAvx512(MemoryMarshal.Cast<T, float>(dy).Slice(planeOutput, oh * ow), where.Slice(planeOutput, oh * ow), MemoryMarshal.Cast<T, float>(dx), plane, w, ow);
            else if (pairs)
                PairsBackwardAvx2(MemoryMarshal.Cast<T, float>(dy).Slice(planeOutput, oh * ow), where.Slice(planeOutput, oh * ow), MemoryMarshal.Cast<T, float>(dx), plane, w, ow);
            else
                BackwardPlane(dy.Slice(planeOutput, oh * ow), where.Slice(planeOutput, oh * ow), dx, plane);
            for (int row = plane; covered < w && row < plane + oh * size * w; row += w)
                dx.Slice(row + covered, w - covered).Clear();
            if (oh * size < h)
                dx.Slice(plane + oh * size * w, (h - oh * size) * w).Clear();
        }
    }

    /// <summary>The covered positions of one channel's input gradient, window by window.</summary>
    private void BackwardPlane(ReadOnlySpan<T> dy, ReadOnlySpan<int> where, Span<T> dx, int plane)
    {
        int w = Input.Width, ow = Output.Width, size = PoolSize;
        for (int o = 0; o < dy.Length; o++)
        {
            int at = where[o], corner = plane + (o / ow * w + o % ow) * size;
            T g = T.Zero + dy[o];
            for (int i = 0; i < size; i++)
            {
                for (int j = 0, a = corner + i * w; j < size; j++)
                    dx[a + j] = at == a + j ? g : T.Zero;
            }
        }
    }

    /// <summary>
    /// <see cref="BackwardPlane"/> for 2×2/2 windows, four at a time: each window's gradient and maximum's position
    /// are repeated for its two columns, and a position gets the gradient where it is the maximum. A row of windows
    /// whose count is not a multiple of four ends with its last four windows, rewriting some positions with the same
    /// values; rows need at least four windows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PairsBackwardAvx2(ReadOnlySpan<float> dy, ReadOnlySpan<int> where, Span<float> dx, int plane, int w, int ow)
    {
        Vector256<int> columns = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), below = Vector256.Create(w);
        for (int o = 0, top = plane; o < dy.Length; o += ow, top += 2 * w)
        {
            for (int ox = 0; ; ox += 4)
            {
                ox = Math.Min(ox, ow - 4);
                int a = top + 2 * ox;
                Vector256<int> at = Twice(Vector128.Create(where.Slice(o + ox, 4)));
                Vector256<float> g = Twice(Vector128.Create(dy.Slice(o + ox, 4)).AsInt32()).AsSingle() + Vector256<float>.Zero;
                Vector256<int> position = Vector256.Create(a) + columns;
                Vector256.ConditionalSelect(Vector256.Equals(at, position).AsSingle(), g, Vector256<float>.Zero).CopyTo(dx.Slice(a, 8));
                Vector256.ConditionalSelect(Vector256.Equals(at, position + below).AsSingle(), g, Vector256<float>.Zero).CopyTo(dx.Slice(a + w, 8));
                if (ox == ow - 4)
                    break;
            }
        }
    }

    /// <summary><see cref="PairsBackwardAvx2"/> eight windows at a time, for rows of at least eight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PairsBackwardAvx512(ReadOnlySpan<float> dy, ReadOnlySpan<int> where, Span<float> dx, int plane, int w, int ow)
    {
        Vector512<int> twice = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
        Vector512<int> columns = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), below = Vector512.Create(w);
        for (int o = 0, top = plane; o < dy.Length; o += ow, top += 2 * w)
        {
            for (int ox = 0; ; ox += 8)
            {
                ox = Math.Min(ox, ow - 8);
                int a = top + 2 * ox;
                Vector512<int> at = Avx512F.PermuteVar16x32(Vector512.Create(Vector256.Create(where.Slice(o + ox, 8)), Vector256<int>.Zero), twice);
                Vector512<float> g = Avx512F.PermuteVar16x32(Vector512.Create(Vector256.Create(dy.Slice(o + ox, 8)), Vector256<float>.Zero), twice) + Vector512<float>.Zero;
                Vector512<int> position = Vector512.Create(a) + columns;
                Vector512.ConditionalSelect(Vector512.Equals(at, position).AsSingle(), g, Vector512<float>.Zero).CopyTo(dx.Slice(a, 16));
                Vector512.ConditionalSelect(Vector512.Equals(at, position + below).AsSingle(), g, Vector512<float>.Zero).CopyTo(dx.Slice(a + w, 16));
                if (ox == ow - 8)
                    break;
            }
        }
    }

    /// <summary>Each of four lanes twice, for the two columns of a 2×2 window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Twice(Vector128<int> v)
        => Avx2.PermuteVar8x32(Vector256.Create(v, v), Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3));
}
