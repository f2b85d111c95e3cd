using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Products with only a few columns (C is m×n with n ≤ <see cref="MaxColumns"/>: class scores of a linear model or of
/// a network's last layer). Each element is a dot product of a row of A, read in place, with a column of op(B), which
/// is small and stays in L1. The packed kernels would copy all of A to use each of its values only n times.
/// </summary>
/// <remarks>
/// Each element is the same sequence of operations whatever the thread count and wherever it falls in a block: vector
/// partial sums over k in a fixed order, then a fixed reduction tree.
/// </remarks>
internal static unsafe class ThinGemm
{
    /// <summary>The widest C this path takes.</summary>
    public const int MaxColumns = 16;

    /// <summary>
    /// From this many multiply-adds (about ten microseconds of work on one core) the row items are shared with the pool's
    /// helpers. Below it the hand-off costs more than it saves whenever a helper is not already spinning on a free core,
    /// as on a busy machine.
    /// </summary>
    internal static double ParallelThreshold = 1 << 19;

    /// <summary>Rows of C per parallel work item.</summary>
    private const int RowsPerItem = 64;

    /// <summary>Whether the shape is better served here than by the packed kernels.</summary>
    /// <remarks>
    /// The AVX-512 blocks use every lane whatever n is, so they beat the packed kernels (whose 64-wide tiles would be
    /// mostly padding, or which would copy all of A to transpose C) from a few rows on. The per-element dot products of
    /// the other instruction sets win only once A is large enough (about 64k values) that copying it costs more than
    /// the packed kernels' register tiles save.
    /// </remarks>
    public static bool Suits(SimdInstructionSet instructionSet, bool ta, int m, int n, int k)
        => !ta && n <= MaxColumns && (instructionSet == SimdInstructionSet.Vector512
            ? k >= 16 && m >= 4
            : k >= 32 && (long)m * k >= 1 << 16);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            CopyColumns(b, ldb, k, n, columns);
        }
        var call = new ThinCall(instructionSet, m, n, k, alpha, a, lda, columns, columnStride, beta, c, ldc);
        int items = (m + RowsPerItem - 1) / RowsPerItem;
        ParallelWork.For(items, call.Run, (double)m * n * k >= ParallelThreshold);
    }

    /// <summary>The n columns of the k×n matrix B as rows of <paramref name="columns"/> (stride k): 8×8 blocks through registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyColumns(float* b, nint ldb, int k, int n, float* columns)
    {
        float** rows = stackalloc float*[8];
        int p0 = 0, wide = Avx.IsSupported ? n & ~7 : 0;
        for (; wide > 0 && p0 + 8 <= k; p0 += 8)
        {
            for (int t = 0; t < 8; t++)
                rows[t] = b + (p0 + t) * ldb;
            for (int j0 = 0; j0 < wide; j0 += 8)
                GemmPacking.Transpose8x8(rows, j0, columns + j0 * (nint)k + p0, k);
        }
        // Columns left of the 8-wide blocks, and the rows after them, one value at a time.
        for (int j = 0; j < n; j++)
        {
            float* column = columns + j * (nint)k;
            for (int p = j < wide ? p0 : 0; p < k; p++)
                column[p] = b[p * ldb + j];
        }
    }

    private sealed class ThinCall(SimdInstructionSet instructionSet, int m, int n, int k, float alpha,
        float* a, nint lda, float* columns, nint columnStride, float beta, float* c, nint ldc)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int item)
        {
            int i0 = item * RowsPerItem, i1 = Math.Min(m, i0 + RowsPerItem);
            if (instructionSet == SimdInstructionSet.Vector512)
            {
                RunBlocks(i0, i1);
                return;
            }
            for (int i = i0; i < i1; i++)
            {
                for (int j = 0; j < n; j++)
                    Store(i, j, SmallGemm.Dot(new ReadOnlySpan<float>(a + i * lda, k), new ReadOnlySpan<float>(columns + j * columnStride, k)));
            }
        }

        /// <summary>
        /// Rows i0..i1 in blocks of 4 rows × 4 columns: sixteen independent sums, eight loads per sixteen multiply-adds, and
        /// one reduction of all sixteen at once. A block past the last row or column repeats the last one and drops it,
        /// which leaves every element's own arithmetic unchanged. The last k mod 16 values go through the same kernel
        /// once more, from zero-padded copies, and are added to the sums of the rest.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunBlocks(int i0, int i1)
        {
            int vectorDepth = k & ~15, tail = k - vectorDepth;
            float* sums = stackalloc float[16];
            float* rowTails = stackalloc float[4 * 16];
            float* columnTails = stackalloc float[MaxColumns * 16];
            if (tail > 0)
            {
                new Span<float>(columnTails, MaxColumns * 16).Clear();
                new Span<float>(rowTails, 4 * 16).Clear();
                for (int j = 0; j < n; j++)
                    new ReadOnlySpan<float>(columns + j * columnStride + vectorDepth, tail).CopyTo(new Span<float>(columnTails + 16 * j, tail));
            }
            for (int i = i0; i < i1; i += 4)
            {
                int rows = Math.Min(4, i1 - i);
                float* x0 = a + i * lda, x1 = a + (i + Math.Min(1, rows - 1)) * lda;
                float* x2 = a + (i + Math.Min(2, rows - 1)) * lda, x3 = a + (i + Math.Min(3, rows - 1)) * lda;
                if (tail > 0)
                {
                    for (int r = 0; r < rows; r++)
                        new ReadOnlySpan<float>(a + (i + r) * lda + vectorDepth, tail).CopyTo(new Span<float>(rowTails + 16 * r, tail));
                }
                for (int j = 0; j < n; j += 4)
                {
                    int cols = Math.Min(4, n - j);
                    int j1 = Math.Min(1, cols - 1), j2 = Math.Min(2, cols - 1), j3 = Math.Min(3, cols - 1);
                    float* y = columns + j * columnStride;
                    Vector512<float> block = Dot4x4(x0, x1, x2, x3, y, y + j1 * columnStride, y + j2 * columnStride, y + j3 * columnStride, vectorDepth);
                    if (tail > 0)
                    {
                        float* t = columnTails + 16 * j;
                        block += Dot4x4(rowTails, rowTails + 16, rowTails + 32, rowTails + 48, t, t + 16 * j1, t + 16 * j2, t + 16 * j3, 16);
                    }
                    Vector512.Store(block, sums);
                    for (int r = 0; r < rows; r++)
                    {
                        for (int q = 0; q < cols; q++)
                            Store(i + r, j + q, sums[4 * r + q]);
                    }
                }
            }
        }

        private void Store(int i, int j, float dot)
        {
            float* target = c + i * ldc + j;
            *target = ScalarGemmMicroKernel.Combine(alpha, dot, beta, *target);
        }
    }

    /// <summary>
    /// The sixteen vector partial sums of rows x0..x3 with rows y0..y3 over the first <paramref name="depth"/> values (a
    /// multiple of 16), reduced to one vector whose lane 4r + q holds the sum of xr·yq.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector512<float> Dot4x4(float* x0, float* x1, float* x2, float* x3, float* y0, float* y1, float* y2, float* y3, int depth)
    {
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<float> s30 = default, s31 = default, s32 = default, s33 = default;
        for (int p = 0; p < depth; p += 16)
        {
            Vector512<float> a0 = Vector512.Load(x0 + p), a1 = Vector512.Load(x1 + p);
            Vector512<float> a2 = Vector512.Load(x2 + p), a3 = Vector512.Load(x3 + p);
            Vector512<float> b = Vector512.Load(y0 + p);
            s00 = Avx512F.FusedMultiplyAdd(a0, b, s00);
            s10 = Avx512F.FusedMultiplyAdd(a1, b, s10);
            s20 = Avx512F.FusedMultiplyAdd(a2, b, s20);
            s30 = Avx512F.FusedMultiplyAdd(a3, b, s30);
            b = Vector512.Load(y1 + p);
            s01 = Avx512F.FusedMultiplyAdd(a0, b, s01);
            s11 = Avx512F.FusedMultiplyAdd(a1, b, s11);
            s21 = Avx512F.FusedMultiplyAdd(a2, b, s21);
            s31 = Avx512F.FusedMultiplyAdd(a3, b, s31);
            b = Vector512.Load(y2 + p);
            s02 = Avx512F.FusedMultiplyAdd(a0, b, s02);
            s12 = Avx512F.FusedMultiplyAdd(a1, b, s12);
            s22 = Avx512F.FusedMultiplyAdd(a2, b, s22);
            s32 = Avx512F.FusedMultiplyAdd(a3, b, s32);
            b = Vector512.Load(y3 + p);
            s03 = Avx512F.FusedMultiplyAdd(a0, b, s03);
            s13 = Avx512F.FusedMultiplyAdd(a1, b, s13);
            s23 = Avx512F.FusedMultiplyAdd(a2, b, s23);
            s33 = Avx512F.FusedMultiplyAdd(a3, b, s33);
        }
        // Sixteen vectors to one, each stage adding halves of the same sum: v_j ends in lane 4·(j mod 4) + j / 4, so
        // passing s_rq as v_(4q + r) puts xr·yq in lane 4r + q.
        return Reduce16(s00, s10, s20, s30, s01, s11, s21, s31, s02, s12, s22, s32, s03, s13, s23, s33);
    }

    /// <summary>Lane 4·(j mod 4) + j / 4 of the result is the sum of the sixteen lanes of v_j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reduce16(
        Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3,
        Vector512<float> v4, Vector512<float> v5, Vector512<float> v6, Vector512<float> v7,
        Vector512<float> v8, Vector512<float> v9, Vector512<float> v10, Vector512<float> v11,
        Vector512<float> v12, Vector512<float> v13, Vector512<float> v14, Vector512<float> v15)
    {
        // 512 → 256 bits per sum: [x.q0 + x.q2, x.q1 + x.q3, y.q0 + y.q2, y.q1 + y.q3] (q: 128-bit quarters).
        Vector512<float> h0 = Halve(v0, v1), h1 = Halve(v2, v3), h2 = Halve(v4, v5), h3 = Halve(v6, v7);
        Vector512<float> h4 = Halve(v8, v9), h5 = Halve(v10, v11), h6 = Halve(v12, v13), h7 = Halve(v14, v15);
        // 256 → 128 bits: quarter L of q_i holds the four partial sums of v_(4i + L).
        Vector512<float> q0 = Quarter(h0, h1), q1 = Quarter(h2, h3), q2 = Quarter(h4, h5), q3 = Quarter(h6, h7);
        // 128 → 64 → 32 bits inside each quarter: element e of quarter L ends as the sum of v_(4e + L).
        return Pairs(Pairs(q0, q1), Pairs(q2, q3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Halve(Vector512<float> x, Vector512<float> y)
        => Avx512F.Shuffle4x128(x, y, 0b01_00_01_00) + Avx512F.Shuffle4x128(x, y, 0b11_10_11_10);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Quarter(Vector512<float> x, Vector512<float> y)
        => Avx512F.Shuffle4x128(x, y, 0b10_00_10_00) + Avx512F.Shuffle4x128(x, y, 0b11_01_11_01);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pairs(Vector512<float> x, Vector512<float> y)
        => Avx512F.Shuffle(x, y, 0b10_00_10_00) + Avx512F.Shuffle(x, y, 0b11_01_11_01);
}
