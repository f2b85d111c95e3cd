using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Copies blocks of op(A) and op(B) into the sliver layout the micro-kernels stream through: contiguous, in the
/// order they are consumed, zero-padded to whole tiles so the kernels never need edge cases.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>How far ahead, in floats, the transposing packer requests each source row: four cache lines.</summary>
    private const int PrefetchDistance = 64;

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
            if (rows == 6 && mr == 6)
            {
                // A whole run of six: four values and two, without reading past the run.
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (col0 + p) * lda + row0;
                    float* d = dst + p * 6;
                    Vector128.Store(Vector128.Load(src), d);
                    *(long*)(d + 4) = *(long*)(src + 4);
                }
                return;
            }
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
            int p0 = 0;
            if (Avx.IsSupported)
            {
                // Blocks of 8 steps through an 8×8 register transpose whose stores are 6 apart: each store's two extra
                // values land where the next store writes, so a block is only taken when a later step follows it.
                float** eight = stackalloc float*[8];
                for (int r = 0; r < 8; r++)
                    eight[r] = source[r < 6 ? r : 0];
                for (; p0 + 8 < kc; p0 += 8)
                    Transpose8x8(eight, p0, dst + p0 * 6, 6);
                dst += p0 * 6;
            }
            float* s0 = source[0], s1 = source[1], s2 = source[2], s3 = source[3], s4 = source[4], s5 = source[5];
            for (int p = p0; p < kc; p++, dst += 6)
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
            // op(B)(p, j) = B[j, p]: gather across the nr stored rows (whose current cache lines stay in L1 for 16
            // steps) so that the sliver is written sequentially.
            float** source = stackalloc float*[nr];
            for (int j = 0; j < nr; j++)
                source[j] = j < cols ? b + (col0 + j) * ldb + row0 : null;
            int p0 = 0;
            if (Avx.IsSupported && cols == nr && nr % 8 == 0)
            {
                // Whole 8×8 blocks through registers. The nr rows are too many streams for the hardware prefetcher, so
                // each row's line four lines ahead is requested as its current line is started.
                for (; p0 + 8 <= kc; p0 += 8)
                {
                    if ((p0 & 15) == 0 && Sse.IsSupported)
                    {
                        for (int j = 0; j < nr; j++)
                            Sse.Prefetch0(source[j] + p0 + PrefetchDistance);
                    }
                    for (int j0 = 0; j0 < nr; j0 += 8)
                        Transpose8x8(source + j0, p0, dst + p0 * nr + j0, nr);
                }
                dst += p0 * nr;
            }
            for (int p = p0; p < kc; p++, dst += nr)
            {
                int j = 0;
                for (; j < cols; j++)
                    dst[j] = source[j][p];
                for (; j < nr; j++)
                    dst[j] = 0;
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

    /// <summary>
    /// Writes <c>dst[i·stride + j] = rows[j][p0 + i]</c> for an 8×8 block: eight row loads, three shuffle stages,
    /// eight stores.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(float** rows, int p0, float* dst, nint stride)
    {
        Vector256<float> r0 = Avx.LoadVector256(rows[0] + p0), r1 = Avx.LoadVector256(rows[1] + p0);
        Vector256<float> r2 = Avx.LoadVector256(rows[2] + p0), r3 = Avx.LoadVector256(rows[3] + p0);
        Vector256<float> r4 = Avx.LoadVector256(rows[4] + p0), r5 = Avx.LoadVector256(rows[5] + p0);
        Vector256<float> r6 = Avx.LoadVector256(rows[6] + p0), r7 = Avx.LoadVector256(rows[7] + p0);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + stride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * stride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * stride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * stride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * stride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * stride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * stride, Avx.Permute2x128(u3, u7, 0x31));
    }
}
