using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Copies blocks of op(A) and op(B) into the sliver layout the micro-kernels stream through: contiguous, in the
/// order they are consumed, zero-padded to whole tiles so the kernels never need edge cases.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// One A sliver: rows <paramref name="row0"/>.. (<paramref name="rows"/> of them, padded to
    /// <paramref name="mr"/>) and columns <paramref name="col0"/>..+<paramref name="kc"/> of op(A), stored as kc
    /// groups of mr values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transposed, float* a, nint lda, int row0, int rows, int col0, int kc, int mr, float* dst)
    {
        if (transposed)
        {
            // op(A)(i, p) = A[p, i]: each group is a contiguous run of the stored row p.
            for (int p = 0; p < kc; p++)
            {
                float* src = a + (col0 + p) * lda + row0;
                float* d = dst + p * mr;
                int r = 0;
                for (; r < rows; r++)
                    d[r] = src[r];
                for (; r < mr; r++)
                    d[r] = 0;
            }
            return;
        }
        // op(A)(i, p) = A[i, p]: walk the rows side by side so the sliver is written sequentially.
        float** source = stackalloc float*[mr];
        for (int r = 0; r < mr; r++)
            source[r] = r < rows ? a + (row0 + r) * lda + col0 : null;
        if (rows == 6 && mr == 6)
        {
            float* s0 = source[0], s1 = source[1], s2 = source[2], s3 = source[3], s4 = source[4], s5 = source[5];
            for (int p = 0; p < kc; p++, dst += 6)
            {
                dst[0] = s0[p]; dst[1] = s1[p]; dst[2] = s2[p];
                dst[3] = s3[p]; dst[4] = s4[p]; dst[5] = s5[p];
            }
            return;
        }
        for (int p = 0; p < kc; p++, dst += mr)
        {
            for (int r = 0; r < mr; r++)
                dst[r] = r < rows ? source[r][p] : 0;
        }
    }

    /// <summary>
    /// One B sliver: rows <paramref name="row0"/>..+<paramref name="kc"/> and columns <paramref name="col0"/>..
    /// (<paramref name="cols"/> of them, padded to <paramref name="nr"/>) of op(B), stored as kc rows of nr values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transposed, float* b, nint ldb, int row0, int kc, int col0, int cols, int nr, float* dst)
    {
        if (transposed)
        {
            // op(B)(p, j) = B[j, p]: read stored rows contiguously, write with stride nr.
            for (int j = 0; j < nr; j++)
            {
                float* d = dst + j;
                if (j < cols)
                {
                    float* src = b + (col0 + j) * ldb + row0;
                    for (int p = 0; p < kc; p++)
                        d[p * nr] = src[p];
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                        d[p * nr] = 0;
                }
            }
            return;
        }
        for (int p = 0; p < kc; p++)
        {
            float* src = b + (row0 + p) * ldb + col0;
            float* d = dst + p * nr;
            if (cols == nr)
            {
                int j0 = 0;
                for (; j0 + 16 <= nr; j0 += 16)
                    Vector512.Store(Vector512.Load(src + j0), d + j0);
                for (; j0 < nr; j0++)
                    d[j0] = src[j0];
                continue;
            }
            int j = 0;
            for (; j < cols; j++)
                d[j] = src[j];
            for (; j < nr; j++)
                d[j] = 0;
        }
    }
}
