using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// Where a square kernel of <see cref="KernelSize"/> visits an image of shape <see cref="Input"/> with
/// <see cref="Stride"/> and zero <see cref="Padding"/>: the output size, and the im2col / col2im maps between an image
/// and its patch matrix (one row per (channel, kernel row, kernel column), one column per output position).
/// </summary>
internal readonly record struct ConvolutionGeometry(ImageShape Input, int KernelSize, int Stride, int Padding)
{
    /// <summary>Output rows: ⌊(H + 2·pad − K) / stride⌋ + 1 (PyTorch's rounding).</summary>
    public int OutputHeight => (Input.Height + 2 * Padding - KernelSize) / Stride + 1;

    /// <summary>Output columns: ⌊(W + 2·pad − K) / stride⌋ + 1.</summary>
    public int OutputWidth => (Input.Width + 2 * Padding - KernelSize) / Stride + 1;

    /// <summary>Output positions per image (columns of one image's patch matrix).</summary>
    public int OutputPositions => OutputHeight * OutputWidth;

    /// <summary>C·K·K, rows of the patch matrix (and columns of the weight matrix).</summary>
    public int PatchSize => Input.Channels * KernelSize * KernelSize;

    /// <summary>Hp = H + 2·pad, rows of the zero-padded image.</summary>
    public int PaddedHeight => Input.Height + 2 * Padding;

    /// <summary>Wp = W + 2·pad, columns of the zero-padded image.</summary>
    public int PaddedWidth => Input.Width + 2 * Padding;

    /// <summary>
    /// Values of one padded image as <see cref="Numerics.DirectConvolution"/> reads it: C·Hp·Wp plus a tail of zeros
    /// for the positions its last register tile computes past the end of the image.
    /// </summary>
    public int PaddedLength => Input.Channels * PaddedHeight * PaddedWidth + KernelSize + Numerics.DirectConvolution.PositionAlignment;

    /// <summary>Positions of the direct convolution's output (stride 1): H'·Wp, whole padded rows.</summary>
    public int PaddedRowPositions => OutputHeight * PaddedWidth;

    /// <summary>For each patch row (c, i, j), where its values start in the padded image: c·Hp·Wp + i·Wp + j.</summary>
    public int[] PaddedOffsets()
    {
        int k = KernelSize, hp = PaddedHeight, wp = PaddedWidth;
        var offsets = new int[PatchSize];
        for (int c = 0; c < Input.Channels; c++)
        {
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < k; j++)
                    offsets[(c * k + i) * k + j] = (c * hp + i) * wp + j;
            }
        }
        return offsets;
    }

    /// <summary>Copies <paramref name="image"/> (C×H×W) into the interior of <paramref name="padded"/>, whose border must already be zero.</summary>
    // Fully optimised from the first call: training runs it every step, starting with the first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PadImage<T>(ReadOnlySpan<T> image, Span<T> padded) where T : unmanaged
    {
        int h = Input.Height, w = Input.Width, wp = PaddedWidth, hp = PaddedHeight;
        for (int c = 0; c < Input.Channels; c++)
        {
            for (int y = 0; y < h; y++)
                image.Slice((c * h + y) * w, w).CopyTo(padded.Slice((c * hp + y + Padding) * wp + Padding, w));
        }
    }

    /// <summary>
    /// Copies the valid H'×W' positions of each of <paramref name="channels"/> direct-convolution output rows
    /// (<see cref="PaddedRowPositions"/> wide, <paramref name="rowLength"/> apart) into the C'×H'×W' row
    /// <paramref name="image"/>, adding <paramref name="bias"/>[f] to channel f when a bias is given.
    /// </summary>
    // Fully optimised from the first call: training runs it every step, starting with the first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void UnpadOutput<T>(ReadOnlySpan<T> wide, int rowLength, int channels, ReadOnlySpan<T> bias, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = OutputHeight, ow = OutputWidth, wp = PaddedWidth;
        for (int f = 0; f < channels; f++)
        {
            for (int y = 0; y < oh; y++)
            {
                ReadOnlySpan<T> source = wide.Slice(f * rowLength + y * wp, ow);
                Span<T> target = image.Slice((f * oh + y) * ow, ow);
                if (bias.IsEmpty)
                    source.CopyTo(target);
                else
                    AddScalar(source, bias[f], target);
            }
        }
    }

    /// <summary>
    /// target = source + b, written out rather than a library call that would run unoptimised for a process's first
    /// calls. <paramref name="source"/> and <paramref name="target"/> must not overlap: a row that is not a whole number
    /// of vectors ends with a vector that overlaps the one before (writing the same sums again), so a 28-value row
    /// takes two 512-bit vectors instead of three 256-bit ones and four scalars.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScalar<T>(ReadOnlySpan<T> source, T b, Span<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = source.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            var vb = Vector512.Create(b);
            ref T s = ref MemoryMarshal.GetReference(source);
            ref T t = ref MemoryMarshal.GetReference(target);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref s, (nuint)i) + vb).StoreUnsafe(ref t, (nuint)i);
            if (i < n)
                (Vector512.LoadUnsafe(ref s, (nuint)(n - Vector512<T>.Count)) + vb).StoreUnsafe(ref t, (nuint)(n - Vector512<T>.Count));
            return;
        }
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vb = new Vector<T>(b);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
                (new Vector<T>(source[i..]) + vb).CopyTo(target[i..]);
        }
        for (; i < n; i++)
            target[i] = source[i] + b;
    }

    /// <summary>
    /// The patch matrix of a padded image (stride 1), as <see cref="ImageToColumns{T}"/> writes it: row r of the
    /// patch matrix starts at r·<paramref name="rowStride"/>, and its H'·W' values are rows of the padded image.
    /// </summary>
    public void PaddedToColumns<T>(ReadOnlySpan<T> padded, ReadOnlySpan<int> offsets, Span<T> columns, int rowStride) where T : unmanaged
    {
        int oh = OutputHeight, ow = OutputWidth, wp = PaddedWidth;
        for (int r = 0; r < offsets.Length; r++)
        {
            Span<T> row = columns.Slice(r * rowStride, oh * ow);
            int offset = offsets[r];
            for (int y = 0; y < oh; y++)
                padded.Slice(offset + y * wp, ow).CopyTo(row.Slice(y * ow, ow));
        }
    }

    /// <summary>Throws unless the kernel fits the padded image.</summary>
    public void Validate(string owner)
    {
        Input.Validated(nameof(Input));
        if (KernelSize < 1)
            throw new ArgumentOutOfRangeException(nameof(KernelSize), KernelSize, $"The kernel size of {owner} must be at least 1; got {KernelSize}.");
        if (Stride < 1)
            throw new ArgumentOutOfRangeException(nameof(Stride), Stride, $"The stride of {owner} must be at least 1; got {Stride}.");
        if (Padding < 0 || Padding >= KernelSize)
            throw new ArgumentOutOfRangeException(nameof(Padding), Padding, $"The padding of {owner} must be in [0, {KernelSize}) for a kernel of {KernelSize}; got {Padding}.");
        if (Input.Height + 2 * Padding < KernelSize || Input.Width + 2 * Padding < KernelSize)
            throw new ArgumentOutOfRangeException(nameof(KernelSize), KernelSize,
                $"The {KernelSize}×{KernelSize} kernel of {owner} does not fit a {Input.Height}×{Input.Width} image padded by {Padding}; use a smaller kernel, more padding or fewer pooling layers before it.");
    }

    /// <summary>
    /// Writes the patches of <paramref name="image"/> (C×H×W) into <paramref name="columns"/>: row r of the patch
    /// matrix starts at r·<paramref name="rowStride"/>, and this image's positions occupy its first
    /// <see cref="OutputPositions"/> values there. Positions outside the image read as zero.
    /// </summary>
    public void ImageToColumns<T>(ReadOnlySpan<T> image, Span<T> columns, int rowStride) where T : unmanaged
    {
        int k = KernelSize, s = Stride, pad = Padding, h = Input.Height, w = Input.Width;
        int oh = OutputHeight, ow = OutputWidth;
        for (int c = 0; c < Input.Channels; c++)
        {
            ReadOnlySpan<T> plane = image.Slice(c * h * w, h * w);
            for (int ki = 0; ki < k; ki++)
            {
                for (int kj = 0; kj < k; kj++)
                {
                    Span<T> row = columns.Slice(((c * k + ki) * k + kj) * rowStride, oh * ow);
                    var (first, last) = ColumnsInside(kj);
                    for (int oy = 0; oy < oh; oy++)
                    {
                        Span<T> target = row.Slice(oy * ow, ow);
                        int iy = oy * s - pad + ki;
                        if (iy < 0 || iy >= h || first > last)
                        {
                            target.Clear();
                            continue;
                        }
                        target[..first].Clear();
                        target[(last + 1)..].Clear();
                        ReadOnlySpan<T> source = plane.Slice(iy * w, w);
                        int ix = first * s - pad + kj;
                        if (s == 1)
                        {
                            source.Slice(ix, last - first + 1).CopyTo(target[first..]);
                        }
                        else
                        {
                            for (int ox = first; ox <= last; ox++, ix += s)
                                target[ox] = source[ix];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="ImageToColumns{T}"/>: adds every patch-matrix value back onto the pixel it came from,
    /// overwriting <paramref name="image"/> with the sum.
    /// </summary>
    public void ColumnsToImage<T>(ReadOnlySpan<T> columns, int rowStride, Span<T> image) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        image.Clear();
        int k = KernelSize, s = Stride, pad = Padding, h = Input.Height, w = Input.Width;
        int oh = OutputHeight, ow = OutputWidth;
        for (int c = 0; c < Input.Channels; c++)
        {
            Span<T> plane = image.Slice(c * h * w, h * w);
            for (int ki = 0; ki < k; ki++)
            {
                for (int kj = 0; kj < k; kj++)
                {
                    ReadOnlySpan<T> row = columns.Slice(((c * k + ki) * k + kj) * rowStride, oh * ow);
                    var (first, last) = ColumnsInside(kj);
                    if (first > last)
                        continue;
                    for (int oy = 0; oy < oh; oy++)
                    {
                        int iy = oy * s - pad + ki;
                        if (iy < 0 || iy >= h)
                            continue;
                        ReadOnlySpan<T> source = row.Slice(oy * ow, ow);
                        Span<T> target = plane.Slice(iy * w, w);
                        int ix = first * s - pad + kj;
                        for (int ox = first; ox <= last; ox++, ix += s)
                            target[ix] += source[ox];
                    }
                }
            }
        }
    }

    /// <summary>The output columns ox whose input column ox·stride − pad + <paramref name="kernelColumn"/> lies inside the image (first &gt; last when none).</summary>
    private (int First, int Last) ColumnsInside(int kernelColumn)
        => (Math.Max(0, CeilDiv(Padding - kernelColumn, Stride)), Math.Min(OutputWidth - 1, FloorDiv(Input.Width - 1 + Padding - kernelColumn, Stride)));

    private static int CeilDiv(int numerator, int denominator) => -FloorDiv(-numerator, denominator);

    private static int FloorDiv(int numerator, int denominator)
        => numerator >= 0 ? numerator / denominator : -((-numerator + denominator - 1) / denominator);
}
