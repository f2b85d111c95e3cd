using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Products too small or too thin for packing to pay off — above all a single row (batch-1 prediction) or a single
/// column: plain vectorised dot products or row updates straight from the operands, on the calling thread.
/// </summary>
internal static class SmallGemm
{
    private const int StackLimit = 1024;

    /// <summary>Whether the shape is better served here than by the packed kernels.</summary>
    public static bool Suits(int m, int n, int k) => m <= 2 || n <= 2 || (long)m * n * k <= 48 * 48 * 48;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(bool ta, bool tb, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        float[]? rentedRow = null, rentedWork = null;
        Span<float> row = k <= StackLimit ? stackalloc float[k] : (rentedRow = ArrayPool<float>.Shared.Rent(k)).AsSpan(0, k);
        // With B not transposed, a row of C is a combination of rows of B; otherwise each element is a dot product.
        bool rowUpdates = !tb && n > 4;
        int workLength = rowUpdates ? n : tb ? 0 : n * k;
        Span<float> work = workLength <= StackLimit ? stackalloc float[workLength]
            : (rentedWork = ArrayPool<float>.Shared.Rent(workLength)).AsSpan(0, workLength);
        try
        {
            if (!rowUpdates && !tb)
            {
                // A few columns of B: gather them once so every element is a contiguous dot product.
                for (int j = 0; j < n; j++)
                {
                    for (int p = 0; p < k; p++)
                        work[j * k + p] = b[p * ldb + j];
                }
            }
            for (int i = 0; i < m; i++)
            {
                scoped ReadOnlySpan<float> aRow;
                if (ta)
                {
                    for (int p = 0; p < k; p++)
                        row[p] = a[p * lda + i];
                    aRow = row;
                }
                else
                {
                    aRow = a.Slice(i * lda, k);
                }
                Span<float> cRow = c.Slice(i * ldc, n);
                if (rowUpdates)
                {
                    work.Clear();
                    for (int p = 0; p < k; p++)
                        AddScaled(work, aRow[p], b.Slice(p * ldb, n));
                    for (int j = 0; j < n; j++)
                        cRow[j] = ScalarGemmMicroKernel.Combine(alpha, work[j], beta, cRow[j]);
                }
                else
                {
                    for (int j = 0; j < n; j++)
                    {
                        ReadOnlySpan<float> column = tb ? b.Slice(j * ldb, k) : work.Slice(j * k, k);
                        cRow[j] = ScalarGemmMicroKernel.Combine(alpha, Dot(aRow, column), beta, cRow[j]);
                    }
                }
            }
        }
        finally
        {
            if (rentedRow is not null)
                ArrayPool<float>.Shared.Return(rentedRow);
            if (rentedWork is not null)
                ArrayPool<float>.Shared.Return(rentedWork);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int n = x.Length, i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            int w = Vector<float>.Count;
            Vector<float> s0 = Vector<float>.Zero, s1 = Vector<float>.Zero;
            for (; i + 2 * w <= n; i += 2 * w)
            {
                s0 = Vector.FusedMultiplyAdd(new Vector<float>(x.Slice(i)), new Vector<float>(y.Slice(i)), s0);
                s1 = Vector.FusedMultiplyAdd(new Vector<float>(x.Slice(i + w)), new Vector<float>(y.Slice(i + w)), s1);
            }
            for (; i + w <= n; i += w)
                s0 = Vector.FusedMultiplyAdd(new Vector<float>(x.Slice(i)), new Vector<float>(y.Slice(i)), s0);
            sum = Vector.Sum(s0 + s1);
        }
        for (; i < n; i++)
            sum = MathF.FusedMultiplyAdd(x[i], y[i], sum);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddScaled(Span<float> target, float scale, ReadOnlySpan<float> source)
    {
        int n = target.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<float>(scale);
            int w = Vector<float>.Count;
            for (; i + w <= n; i += w)
                Vector.FusedMultiplyAdd(s, new Vector<float>(source.Slice(i)), new Vector<float>(target.Slice(i))).CopyTo(target.Slice(i));
        }
        for (; i < n; i++)
            target[i] = MathF.FusedMultiplyAdd(scale, source[i], target[i]);
    }
}
