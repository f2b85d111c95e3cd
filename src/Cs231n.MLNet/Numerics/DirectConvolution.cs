using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Stride-1 convolution computed straight from a zero-padded image, with no patch matrix:
/// <c>out[f, q] = Σ_p w[f, p] · x[offset[p] + q]</c>. With the image padded to Hp×Wp and q = oy·Wp + ox running over
/// whole padded rows, the patch value of (channel c, kernel row i, kernel column j) at every output position is the
/// same contiguous stretch of the padded image, starting at offset c·Hp·Wp + i·Wp + j; so the kernel reads vectors of
/// the image directly, where im2col would first copy K² shifted versions of it. The Wp − W' columns of each output
/// row that fall in the padding are computed and thrown away by the caller.
/// </summary>
/// <remarks>
/// Register tiles hold <see cref="FilterBlock"/> filters × up to 48 positions (three AVX-512 vectors). Each output
/// value is one fused multiply-add chain over p in order, from zero, in every kernel (AVX-512, AVX2 and scalar), so
/// results do not depend on the kernel, the tile or the thread that computes them.
/// </remarks>
internal static unsafe class DirectConvolution
{
    /// <summary>Filters per register tile; packed weights and output rows are padded to a multiple of it.</summary>
    public const int FilterBlock = 8;

    /// <summary>Output rows are padded to a multiple of this many positions.</summary>
    public const int PositionAlignment = 16;

    /// <summary>Length of the packed weights of <paramref name="filters"/> filters of <paramref name="depth"/> weights.</summary>
    public static int PackedLength(int filters, int depth) => Alignment.RoundUp(filters, FilterBlock) * depth;

    /// <summary>Padded length of an output row of <paramref name="positions"/> values.</summary>
    public static int RowLength(int positions) => Alignment.RoundUp(positions, PositionAlignment);

    /// <summary>
    /// Packs the row-major filters × depth matrix <paramref name="weights"/> into blocks of <see cref="FilterBlock"/>
    /// filters, depth-major within a block: packed[(b·depth + p)·8 + r] = weights[8b + r, p], zero past the last filter.
    /// </summary>
    public static void PackWeights<T>(ReadOnlySpan<T> weights, int filters, int depth, Span<T> packed) where T : unmanaged, INumberBase<T>
    {
        int blocks = Alignment.RoundUp(filters, FilterBlock) / FilterBlock;
        for (int b = 0; b < blocks; b++)
        {
            Span<T> block = packed.Slice(b * depth * FilterBlock, depth * FilterBlock);
            for (int r = 0; r < FilterBlock; r++)
            {
                int f = b * FilterBlock + r;
                for (int p = 0; p < depth; p++)
                    block[p * FilterBlock + r] = f < filters ? weights[f * depth + p] : T.Zero;
            }
        }
    }

    /// <summary>
    /// <c>output[f, q] = Σ_p w[f, p] · input[offsets[p] + q]</c> for every f below Alignment.RoundUp(filters, 8) and q below
    /// <see cref="RowLength"/>(<paramref name="positions"/>); output row f starts at f·<paramref name="rowLength"/>.
    /// <paramref name="input"/> must be readable up to max(offsets) + RowLength(positions).
    /// </summary>
    public static void Multiply<T>(int filters, ReadOnlySpan<T> packedWeights, ReadOnlySpan<int> offsets, ReadOnlySpan<T> input,
        int positions, Span<T> output, int rowLength) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int depth = offsets.Length, blocks = Alignment.RoundUp(filters, FilterBlock) / FilterBlock, width = RowLength(positions);
        if (packedWeights.Length < blocks * FilterBlock * depth || rowLength < width || output.Length < (blocks * FilterBlock - 1) * rowLength + width)
            throw new ArgumentException("The direct convolution's buffers are too small for its shape.");
        int reach = 0;
        foreach (int offset in offsets)
            reach = Math.Max(reach, offset);
        if (input.Length < reach + width)
            throw new ArgumentException($"The padded input holds {input.Length} values; the kernel reads up to {reach + width}.", nameof(input));
        if (typeof(T) == typeof(float) && NumericsSettings.InstructionSet != SimdInstructionSet.Scalar)
        {
            var w = MemoryMarshal.Cast<T, float>(packedWeights);
            var x = MemoryMarshal.Cast<T, float>(input);
            var o = MemoryMarshal.Cast<T, float>(output);
            fixed (float* pw = w, px = x, po = o)
            fixed (int* pOffsets = offsets)
            {
                for (int b = 0; b < blocks; b++)
                {
                    float* wb = pw + (nint)b * depth * FilterBlock, ob = po + (nint)b * FilterBlock * rowLength;
                    if (NumericsSettings.InstructionSet == SimdInstructionSet.Vector512)
                        Block512(depth, wb, pOffsets, px, width, ob, rowLength);
                    else
                        Block256(depth, wb, pOffsets, px, width, ob, rowLength);
                }
            }
            return;
        }
        for (int b = 0; b < blocks; b++)
            BlockScalar(depth, packedWeights.Slice(b * depth * FilterBlock), offsets, input, width, output.Slice(b * FilterBlock * rowLength), rowLength);
    }

    private static void BlockScalar<T>(int depth, ReadOnlySpan<T> w, ReadOnlySpan<int> offsets, ReadOnlySpan<T> x, int width, Span<T> o, int rowLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < FilterBlock; r++)
        {
            Span<T> row = o.Slice(r * rowLength, width);
            for (int q = 0; q < width; q++)
            {
                T sum = T.Zero;
                for (int p = 0; p < depth; p++)
                    sum = T.FusedMultiplyAdd(w[p * FilterBlock + r], x[offsets[p] + q], sum);
                row[q] = sum;
            }
        }
    }

    private static void Block512(int depth, float* w, int* offsets, float* x, int width, float* o, nint ld)
    {
        int q = 0;
        for (; q + 48 <= width; q += 48)
            Tile512<Three>(depth, w, offsets, x + q, o + q, ld);
        if (width - q == 32)
            Tile512<Two>(depth, w, offsets, x + q, o + q, ld);
        else if (width - q == 16)
            Tile512<One>(depth, w, offsets, x + q, o + q, ld);
    }

    private static void Block256(int depth, float* w, int* offsets, float* x, int width, float* o, nint ld)
    {
        for (int q = 0; q < width; q += 8)
            Tile256(depth, w, offsets, x + q, o + q, ld);
    }

    /// <summary>8 filters × TWidth.Count AVX-512 vectors of positions: up to 24 accumulators, 3 loads and 8 broadcasts per 24 FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile512<TWidth>(int depth, float* w, int* offsets, float* x, float* o, nint ld) where TWidth : struct, ITileWidth
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default;
        Vector512<float> c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
        Vector512<float> x1 = default, x2 = default;
        for (int p = 0; p < depth; p++)
        {
            float* xp = x + offsets[p];
            Vector512<float> x0 = Vector512.Load(xp);
            if (TWidth.Count > 1)
                x1 = Vector512.Load(xp + 16);
            if (TWidth.Count > 2)
                x2 = Vector512.Load(xp + 32);
            Vector512<float> a = Vector512.Create(w[0]);
            c00 = Vector512.FusedMultiplyAdd(a, x0, c00);
            if (TWidth.Count > 1) c01 = Vector512.FusedMultiplyAdd(a, x1, c01);
            if (TWidth.Count > 2) c02 = Vector512.FusedMultiplyAdd(a, x2, c02);
            a = Vector512.Create(w[1]);
            c10 = Vector512.FusedMultiplyAdd(a, x0, c10);
            if (TWidth.Count > 1) c11 = Vector512.FusedMultiplyAdd(a, x1, c11);
            if (TWidth.Count > 2) c12 = Vector512.FusedMultiplyAdd(a, x2, c12);
            a = Vector512.Create(w[2]);
            c20 = Vector512.FusedMultiplyAdd(a, x0, c20);
            if (TWidth.Count > 1) c21 = Vector512.FusedMultiplyAdd(a, x1, c21);
            if (TWidth.Count > 2) c22 = Vector512.FusedMultiplyAdd(a, x2, c22);
            a = Vector512.Create(w[3]);
            c30 = Vector512.FusedMultiplyAdd(a, x0, c30);
            if (TWidth.Count > 1) c31 = Vector512.FusedMultiplyAdd(a, x1, c31);
            if (TWidth.Count > 2) c32 = Vector512.FusedMultiplyAdd(a, x2, c32);
            a = Vector512.Create(w[4]);
            c40 = Vector512.FusedMultiplyAdd(a, x0, c40);
            if (TWidth.Count > 1) c41 = Vector512.FusedMultiplyAdd(a, x1, c41);
            if (TWidth.Count > 2) c42 = Vector512.FusedMultiplyAdd(a, x2, c42);
            a = Vector512.Create(w[5]);
            c50 = Vector512.FusedMultiplyAdd(a, x0, c50);
            if (TWidth.Count > 1) c51 = Vector512.FusedMultiplyAdd(a, x1, c51);
            if (TWidth.Count > 2) c52 = Vector512.FusedMultiplyAdd(a, x2, c52);
            a = Vector512.Create(w[6]);
            c60 = Vector512.FusedMultiplyAdd(a, x0, c60);
            if (TWidth.Count > 1) c61 = Vector512.FusedMultiplyAdd(a, x1, c61);
            if (TWidth.Count > 2) c62 = Vector512.FusedMultiplyAdd(a, x2, c62);
            a = Vector512.Create(w[7]);
            c70 = Vector512.FusedMultiplyAdd(a, x0, c70);
            if (TWidth.Count > 1) c71 = Vector512.FusedMultiplyAdd(a, x1, c71);
            if (TWidth.Count > 2) c72 = Vector512.FusedMultiplyAdd(a, x2, c72);
            w += FilterBlock;
        }
        Store512<TWidth>(o, c00, c01, c02);
        Store512<TWidth>(o + ld, c10, c11, c12);
        Store512<TWidth>(o + 2 * ld, c20, c21, c22);
        Store512<TWidth>(o + 3 * ld, c30, c31, c32);
        Store512<TWidth>(o + 4 * ld, c40, c41, c42);
        Store512<TWidth>(o + 5 * ld, c50, c51, c52);
        Store512<TWidth>(o + 6 * ld, c60, c61, c62);
        Store512<TWidth>(o + 7 * ld, c70, c71, c72);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512<TWidth>(float* o, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2) where TWidth : struct, ITileWidth
    {
        v0.Store(o);
        if (TWidth.Count > 1)
            v1.Store(o + 16);
        if (TWidth.Count > 2)
            v2.Store(o + 32);
    }

    /// <summary>8 filters × one AVX2 vector of 8 positions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile256(int depth, float* w, int* offsets, float* x, float* o, nint ld)
    {
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (int p = 0; p < depth; p++)
        {
            Vector256<float> v = Vector256.Load(x + offsets[p]);
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(w[0]), v, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(w[1]), v, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(w[2]), v, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(w[3]), v, c3);
            c4 = Vector256.FusedMultiplyAdd(Vector256.Create(w[4]), v, c4);
            c5 = Vector256.FusedMultiplyAdd(Vector256.Create(w[5]), v, c5);
            c6 = Vector256.FusedMultiplyAdd(Vector256.Create(w[6]), v, c6);
            c7 = Vector256.FusedMultiplyAdd(Vector256.Create(w[7]), v, c7);
            w += FilterBlock;
        }
        c0.Store(o);
        c1.Store(o + ld);
        c2.Store(o + 2 * ld);
        c3.Store(o + 3 * ld);
        c4.Store(o + 4 * ld);
        c5.Store(o + 5 * ld);
        c6.Store(o + 6 * ld);
        c7.Store(o + 7 * ld);
    }


    /// <summary>Vectors per register-tile row, fixed at compile time so the unused accumulators vanish.</summary>
    private interface ITileWidth
    {
        static abstract int Count { get; }
    }

    private struct One : ITileWidth
    {
        public static int Count => 1;
    }

    private struct Two : ITileWidth
    {
        public static int Count => 2;
    }

    private struct Three : ITileWidth
    {
        public static int Count => 3;
    }
}
