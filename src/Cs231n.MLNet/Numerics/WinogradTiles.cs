using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// The one operation every Winograd transform is made of: <c>Z = L X Lᵀ</c> for a small q×q tile X and a p×q matrix L
/// (Bᵀ on input tiles, G on filters, Aᵀ on output tiles, A on output gradients, Gᵀ on filter gradients), on sixteen
/// independent tiles at once, one per lane of an AVX-512 vector (sixteen channels or filters side by side).
/// </summary>
/// <remarks>
/// L is given padded to p×8 (<see cref="Padded"/>), so each one-dimensional pass is the same unrolled combination of
/// eight register-held vectors, with no branch on the coefficients. Each lane's value is computed by the same sequence
/// of fused multiply-adds whatever the lane, the caller or the thread, so results are reproducible bit for bit.
/// </remarks>
internal static unsafe class WinogradTiles
{
    /// <summary>Tiles per call: the lanes of one vector.</summary>
    public const int Lanes = 16;

    /// <summary>Largest tile side.</summary>
    public const int MaxSide = 8;

    /// <summary>
    /// <c>dst[i, j] = Σ_k Σ_l L[i, k] · src[k, l] · L[j, l]</c> for i, j &lt; p, lane by lane, with
    /// <paramref name="l"/> the p×q matrix padded to p×8 by <see cref="Padded"/>. Element (k, l) of the source is the
    /// vector at <c>src + k·srcRow + l·srcColumn</c>; element (i, j) of the result is stored at
    /// <c>dst + i·dstRow + j·dstColumn</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void Apply(float* l, int p, int q, float* src, nint srcRow, nint srcColumn, float* dst, nint dstRow, nint dstColumn)
    {
        // T = L X, column by column of X; T is kept p×8 with zero columns past q.
        Vector512<float>* t = stackalloc Vector512<float>[MaxSide * MaxSide];
        for (int c = 0; c < MaxSide; c++)
        {
            if (c >= q)
            {
                for (int i = 0; i < p; i++)
                    t[i * MaxSide + c] = Vector512<float>.Zero;
                continue;
            }
            float* column = src + c * srcColumn;
            Load(column, srcRow, q, out var x0, out var x1, out var x2, out var x3, out var x4, out var x5, out var x6, out var x7);
            for (int i = 0; i < p; i++)
                t[i * MaxSide + c] = Combine(l + i * MaxSide, x0, x1, x2, x3, x4, x5, x6, x7);
        }
        // Z = T Lᵀ, row by row of T.
        for (int i = 0; i < p; i++)
        {
            Vector512<float>* ti = t + i * MaxSide;
            Vector512<float> x0 = ti[0], x1 = ti[1], x2 = ti[2], x3 = ti[3], x4 = ti[4], x5 = ti[5], x6 = ti[6], x7 = ti[7];
            float* row = dst + i * dstRow;
            for (int j = 0; j < p; j++)
                Combine(l + j * MaxSide, x0, x1, x2, x3, x4, x5, x6, x7).Store(row + j * dstColumn);
        }
    }

    /// <summary>
    /// The row-major p×q matrix <paramref name="l"/>, or its transpose when <paramref name="transpose"/>, with its
    /// rows padded with zeros to <see cref="MaxSide"/> columns: the layout <see cref="Apply"/> takes.
    /// </summary>
    public static float[] Padded(float[] l, int p, int q, bool transpose = false)
    {
        (int rows, int columns) = transpose ? (q, p) : (p, q);
        var padded = new float[rows * MaxSide];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
                padded[i * MaxSide + j] = transpose ? l[j * q + i] : l[i * q + j];
        }
        return padded;
    }

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
