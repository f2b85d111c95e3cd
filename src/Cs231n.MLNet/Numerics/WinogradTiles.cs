using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// The one operation every Winograd transform is made of: <c>Z = L X Lᵀ</c> for a small q×q tile X and a p×q matrix L
/// (Bᵀ on input tiles, G on filters, Aᵀ on output tiles, A on output gradients, Gᵀ on filter gradients), on sixteen
/// independent tiles at once, one per lane of an AVX-512 vector (sixteen channels or filters side by side).
/// </summary>
/// <remarks>
/// Each one-dimensional pass combines up to eight register-held vectors with the coefficients of
/// <see cref="WinogradMatrix"/>, using the ± symmetry of its rows or columns and skipping its zeros (the branches
/// depend only on the matrix, so they go the same way on every call). Each lane's value is computed by the same
/// sequence of operations whatever the lane, the caller or the thread, so results are reproducible bit for bit.
/// </remarks>
internal static unsafe class WinogradTiles
{
    /// <summary>Tiles per call: the lanes of one vector.</summary>
    public const int Lanes = 16;

    /// <summary>Largest tile side.</summary>
    public const int MaxSide = 8;

    /// <summary>
    /// <c>dst[i, j] = Σ_k Σ_l L[i, k] · src[k, l] · L[j, l]</c> for i, j &lt; p, lane by lane, for the p×q matrix
    /// <paramref name="l"/>. Element (k, l) of the source is the vector at <c>src + k·srcRow + l·srcColumn</c>; element
    /// (i, j) of the result is stored at <c>dst + i·dstRow + j·dstColumn</c>.
    /// </summary>
    public static void Apply(WinogradMatrix l, float* src, nint srcRow, nint srcColumn, float* dst, nint dstRow, nint dstColumn)
    {
        // One compiled loop per kind of pass, so that each stays small enough for its helpers to be inlined.
        switch (l.Pairing)
        {
            case WinogradPairing.Rows:
                Run<PairedRowsPass>(l, src, srcRow, srcColumn, dst, dstRow, dstColumn);
                break;
            case WinogradPairing.Columns:
                Run<PairedColumnsPass>(l, src, srcRow, srcColumn, dst, dstRow, dstColumn);
                break;
            default:
                Run<FullPass>(l, src, srcRow, srcColumn, dst, dstRow, dstColumn);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void Run<TPass>(WinogradMatrix l, float* src, nint srcRow, nint srcColumn, float* dst, nint dstRow, nint dstColumn)
        where TPass : struct, ITilePass
    {
        int p = l.Rows, q = l.Columns;
        float* coefficients = l.Coefficients;
        int* masks = l.MaskPointer;
        // T = L X, column by column of X; only T's first q columns are written, and only they are read.
        Vector512<float>* t = stackalloc Vector512<float>[MaxSide * MaxSide];
        for (int c = 0; c < q; c++)
        {
            Load(src + c * srcColumn, srcRow, q, out var x0, out var x1, out var x2, out var x3, out var x4, out var x5, out var x6, out var x7);
            TPass.Pass(coefficients, masks, p, q, x0, x1, x2, x3, x4, x5, x6, x7, (float*)(t + c), MaxSide * Lanes);
        }
        // Z = T Lᵀ, row by row of T.
        for (int i = 0; i < p; i++)
        {
            Load((float*)(t + i * MaxSide), Lanes, q, out var x0, out var x1, out var x2, out var x3, out var x4, out var x5, out var x6, out var x7);
            TPass.Pass(coefficients, masks, p, q, x0, x1, x2, x3, x4, x5, x6, x7, dst + i * dstRow, dstColumn);
        }
    }

    /// <summary>One dimension of the transform: <c>output[i·stride] = Σ_k L[i, k]·x_k</c> for i &lt; p.</summary>
    private interface ITilePass
    {
        static abstract void Pass(float* c, int* masks, int p, int q, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2,
            Vector512<float> x3, Vector512<float> x4, Vector512<float> x5, Vector512<float> x6, Vector512<float> x7, float* output, nint stride);
    }

    /// <summary>Rows 0 and p − 1 stand alone; each pair of rows between them shares its even part E and odd part O.</summary>
    private readonly struct PairedRowsPass : ITilePass
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Pass(float* c, int* masks, int p, int q, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2,
            Vector512<float> x3, Vector512<float> x4, Vector512<float> x5, Vector512<float> x6, Vector512<float> x7, float* output, nint stride)
        {
            for (int i = 0; i < p; i++)
            {
                float* ci = c + i * MaxSide;
                Vector512<float> even = Even(ci, masks[i], x0, x2, x4, x6), odd = Odd(ci, masks[i], x1, x3, x5, x7);
                (even + odd).Store(output + i * stride);
                if (i == 0 || i == p - 1)
                    continue;
                i++;
                (even - odd).Store(output + i * stride);
            }
        }
    }

    /// <summary>Column 0 and column q − 1 stand alone; even rows take each pair of columns' sum, odd rows its difference.</summary>
    private readonly struct PairedColumnsPass : ITilePass
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Pass(float* c, int* masks, int p, int q, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2,
            Vector512<float> x3, Vector512<float> x4, Vector512<float> x5, Vector512<float> x6, Vector512<float> x7, float* output, nint stride)
        {
            bool eight = q == MaxSide;
            Vector512<float> last = eight ? x7 : x5;
            Vector512<float> s1 = x1 + x2, s2 = x3 + x4, s3 = eight ? x5 + x6 : default;
            Vector512<float> d1 = x1 - x2, d2 = x3 - x4, d3 = eight ? x5 - x6 : default;
            int lastBit = 1 << (q - 1);
            for (int i = 0; i < p; i += 2)
                PairedColumnsRow(c + i * MaxSide, masks[i], lastBit, x0, s1, s2, s3, last).Store(output + i * stride);
            for (int i = 1; i < p; i += 2)
                PairedColumnsRow(c + i * MaxSide, masks[i], lastBit, x0, d1, d2, d3, last).Store(output + i * stride);
        }
    }

    /// <summary>Every coefficient, for a matrix without the ± symmetry.</summary>
    private readonly struct FullPass : ITilePass
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Pass(float* c, int* masks, int p, int q, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2,
            Vector512<float> x3, Vector512<float> x4, Vector512<float> x5, Vector512<float> x6, Vector512<float> x7, float* output, nint stride)
        {
            for (int i = 0; i < p; i++)
                Combine(c + i * MaxSide, x0, x1, x2, x3, x4, x5, x6, x7).Store(output + i * stride);
        }
    }

    /// <summary>Σ over the even k of c[k]·x_k, skipping the zero coefficients (their bits are clear in <paramref name="mask"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Even(float* c, int mask, Vector512<float> x0, Vector512<float> x2, Vector512<float> x4, Vector512<float> x6)
    {
        Vector512<float> sum = Vector512<float>.Zero;
        if ((mask & 0x01) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[0]), x0, sum);
        if ((mask & 0x04) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[2]), x2, sum);
        if ((mask & 0x10) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[4]), x4, sum);
        if ((mask & 0x40) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[6]), x6, sum);
        return sum;
    }

    /// <summary>Σ over the odd k of c[k]·x_k, skipping the zero coefficients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Odd(float* c, int mask, Vector512<float> x1, Vector512<float> x3, Vector512<float> x5, Vector512<float> x7)
    {
        Vector512<float> sum = Vector512<float>.Zero;
        if ((mask & 0x02) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[1]), x1, sum);
        if ((mask & 0x08) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[3]), x3, sum);
        if ((mask & 0x20) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[5]), x5, sum);
        if ((mask & 0x80) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[7]), x7, sum);
        return sum;
    }

    /// <summary>
    /// One output of a column-paired pass: column 0, the pairs (1, 2), (3, 4) and (5, 6) through their sums or
    /// differences <paramref name="u1"/>–<paramref name="u3"/>, each weighted by the pair's first coefficient, and the
    /// last column.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> PairedColumnsRow(float* c, int mask, int lastBit, Vector512<float> x0, Vector512<float> u1,
        Vector512<float> u2, Vector512<float> u3, Vector512<float> last)
    {
        Vector512<float> sum = Vector512<float>.Zero;
        if ((mask & 0x01) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[0]), x0, sum);
        if ((mask & 0x02) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[1]), u1, sum);
        if ((mask & 0x08) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[3]), u2, sum);
        // With six columns, bit 5 is the last column's, which the next term takes.
        if ((mask & 0x20 & ~lastBit) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[5]), u3, sum);
        if ((mask & lastBit) != 0)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[BitOperations.TrailingZeroCount(lastBit)]), last, sum);
        return sum;
    }

    /// <summary>The first <paramref name="q"/> vectors of a line, <paramref name="stride"/> floats apart; zeros after them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load(float* column, nint stride, int q, out Vector512<float> x0, out Vector512<float> x1, out Vector512<float> x2,
        out Vector512<float> x3, out Vector512<float> x4, out Vector512<float> x5, out Vector512<float> x6, out Vector512<float> x7)
    {
        x0 = Vector512.Load(column);
        x1 = q > 1 ? Vector512.Load(column + stride) : default;
        x2 = q > 2 ? Vector512.Load(column + 2 * stride) : default;
        x3 = q > 3 ? Vector512.Load(column + 3 * stride) : default;
        x4 = q > 4 ? Vector512.Load(column + 4 * stride) : default;
        x5 = q > 5 ? Vector512.Load(column + 5 * stride) : default;
        x6 = q > 6 ? Vector512.Load(column + 6 * stride) : default;
        x7 = q > 7 ? Vector512.Load(column + 7 * stride) : default;
    }

    /// <summary>Σ_k c[k]·x_k over the eight padded coefficients, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Combine(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> x3,
        Vector512<float> x4, Vector512<float> x5, Vector512<float> x6, Vector512<float> x7)
    {
        Vector512<float> sum = Vector512.Create(c[0]) * x0;
        sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[1]), x1, sum);
        sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[2]), x2, sum);
        sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[3]), x3, sum);
        sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[4]), x4, sum);
        sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[5]), x5, sum);
        sum = Vector512.FusedMultiplyAdd(Vector512.Create(c[6]), x6, sum);
        return Vector512.FusedMultiplyAdd(Vector512.Create(c[7]), x7, sum);
    }
}
