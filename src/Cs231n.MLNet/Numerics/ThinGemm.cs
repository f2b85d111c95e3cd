using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Products with only a few columns (C is m×n with n ≤ <see cref="MaxColumns"/>: class scores of a linear model or of
/// a network's last layer). Each element is a dot product of a row of A, read in place, with a column of op(B), which
/// is small and stays in L1. The packed kernels would copy all of A to use each of its values only n times.
/// </summary>
/// <remarks>
/// Each element is the same sequence of operations whatever the thread count: vector partial sums over k in a fixed
/// order, one horizontal sum, then the scalar tail.
/// </remarks>
internal static unsafe class ThinGemm
{
    /// <summary>The widest C this path takes.</summary>
    public const int MaxColumns = 16;

    /// <summary>Rows of C per parallel work item.</summary>
    private const int RowsPerItem = 64;

    /// <summary>Whether the shape is better served here than by the packed kernels.</summary>
    /// <remarks>Below about 64k values of A the packed kernels' copy is cheap, and their register tiles win.</remarks>
    public static bool Suits(bool ta, int m, int n, int k) => !ta && n <= MaxColumns && k >= 32 && (long)m * k >= 1 << 16;

    public static void Multiply(SimdInstructionSet instructionSet, bool tb, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        // The columns of op(B) as contiguous rows: B itself when it is stored transposed, else a small copy.
        using PinnedBuffer copy = tb ? default : PinnedBuffer.Rent((long)n * k);
        float* columns = b;
        nint columnStride = ldb;
        if (!tb)
        {
            columns = copy.Pointer;
            columnStride = k;
            for (int p = 0; p < k; p++)
            {
                for (int j = 0; j < n; j++)
                    columns[j * (nint)k + p] = b[p * ldb + j];
            }
        }
        var call = new ThinCall(instructionSet, m, n, k, alpha, a, lda, columns, columnStride, beta, c, ldc);
        int items = (m + RowsPerItem - 1) / RowsPerItem;
        ParallelWork.For(items, call.Run, (double)m * n * k >= 1 << 21);
    }

    private sealed class ThinCall(SimdInstructionSet instructionSet, int m, int n, int k, float alpha,
        float* a, nint lda, float* columns, nint columnStride, float beta, float* c, nint ldc)
    {
        public void Run(int item)
        {
            int i0 = item * RowsPerItem, i1 = Math.Min(m, i0 + RowsPerItem);
            float* sums = stackalloc float[8];
            int i = i0;
            if (instructionSet == SimdInstructionSet.Vector512)
            {
                // Two rows by four columns at a time: eight independent sums, six loads per eight multiply-adds.
                for (; i + 2 <= i1; i += 2)
                {
                    int j = 0;
                    for (; j + 4 <= n; j += 4)
                    {
                        Dot2x4(a + i * lda, a + (i + 1) * lda, columns + j * columnStride, columnStride, k, sums);
                        for (int q = 0; q < 4; q++)
                        {
                            Store(i, j + q, sums[q]);
                            Store(i + 1, j + q, sums[4 + q]);
                        }
                    }
                    for (; j < n; j++)
                    {
                        Store(i, j, Dot(i, j));
                        Store(i + 1, j, Dot(i + 1, j));
                    }
                }
            }
            for (; i < i1; i++)
            {
                for (int j = 0; j < n; j++)
                    Store(i, j, Dot(i, j));
            }
        }

        private void Store(int i, int j, float dot)
        {
            float* target = c + i * ldc + j;
            *target = ScalarGemmMicroKernel.Combine(alpha, dot, beta, *target);
        }

        private float Dot(int i, int j) => instructionSet == SimdInstructionSet.Vector512
            ? Dot512(a + i * lda, columns + j * columnStride, k)
            : SmallGemm.Dot(new ReadOnlySpan<float>(a + i * lda, k), new ReadOnlySpan<float>(columns + j * columnStride, k));
    }

    /// <summary>The eight dot products of rows x0, x1 with the four rows of y (stride ys), row-major into sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot2x4(float* x0, float* x1, float* y, nint ys, int k, float* sums)
    {
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
        float* y0 = y, y1 = y + ys, y2 = y + 2 * ys, y3 = y + 3 * ys;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            Vector512<float> a0 = Vector512.Load(x0 + p), a1 = Vector512.Load(x1 + p);
            Vector512<float> b = Vector512.Load(y0 + p);
            s00 = Vector512.FusedMultiplyAdd(a0, b, s00);
            s10 = Vector512.FusedMultiplyAdd(a1, b, s10);
            b = Vector512.Load(y1 + p);
            s01 = Vector512.FusedMultiplyAdd(a0, b, s01);
            s11 = Vector512.FusedMultiplyAdd(a1, b, s11);
            b = Vector512.Load(y2 + p);
            s02 = Vector512.FusedMultiplyAdd(a0, b, s02);
            s12 = Vector512.FusedMultiplyAdd(a1, b, s12);
            b = Vector512.Load(y3 + p);
            s03 = Vector512.FusedMultiplyAdd(a0, b, s03);
            s13 = Vector512.FusedMultiplyAdd(a1, b, s13);
        }
        sums[0] = DotScalar(x0, y0, p, k, Vector512.Sum(s00));
        sums[1] = DotScalar(x0, y1, p, k, Vector512.Sum(s01));
        sums[2] = DotScalar(x0, y2, p, k, Vector512.Sum(s02));
        sums[3] = DotScalar(x0, y3, p, k, Vector512.Sum(s03));
        sums[4] = DotScalar(x1, y0, p, k, Vector512.Sum(s10));
        sums[5] = DotScalar(x1, y1, p, k, Vector512.Sum(s11));
        sums[6] = DotScalar(x1, y2, p, k, Vector512.Sum(s12));
        sums[7] = DotScalar(x1, y3, p, k, Vector512.Sum(s13));
    }

    /// <summary>One dot product with the same operations per element as <see cref="Dot2x4"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot512(float* x, float* y, int k)
    {
        Vector512<float> sum = default;
        int p = 0;
        for (; p + 16 <= k; p += 16)
            sum = Vector512.FusedMultiplyAdd(Vector512.Load(x + p), Vector512.Load(y + p), sum);
        return DotScalar(x, y, p, k, Vector512.Sum(sum));
    }

    private static float DotScalar(float* x, float* y, int p, int k, float sum)
    {
        for (; p < k; p++)
            sum = MathF.FusedMultiplyAdd(x[p], y[p], sum);
        return sum;
    }
}
