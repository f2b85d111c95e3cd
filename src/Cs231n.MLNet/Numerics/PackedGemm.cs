using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Cache-blocked single-precision GEMM in the Goto/BLIS arrangement. The k dimension is cut into blocks of at most
/// <see cref="MaxDepthBlock"/> (the same cut for every C element, so results do not depend on threading); per depth
/// block, op(A) and op(B) are packed into slivers, and independent units of C tiles run in parallel. Within a
/// unit one A sliver stays in L1 while the unit's B slivers (at most 512 KB) are streamed from L2.
/// </summary>
internal static unsafe class PackedGemm
{
    private const int MaxDepthBlock = 512;

    /// <summary>Budget for one unit's B slivers, which must stay in the per-core L2 cache.</summary>
    private const int UnitBBytes = 512 << 10;
    private const int RowBlock = 4096;
    private const int ColumnBlock = 4096;
    private const int UnitRows = 96;


    public static void Multiply(GemmKernel kernel, bool ta, bool tb, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        switch (kernel)
        {
            case GemmKernel.Vector512:
                Multiply<Vector512GemmMicroKernel>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
            case GemmKernel.Vector256:
                Multiply<Vector256GemmMicroKernel>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
            default:
                Multiply<ScalarGemmMicroKernel>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
        }
    }

    private static void Multiply<TKernel>(bool ta, bool tb, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
        where TKernel : IGemmMicroKernel
    {
        int mr = TKernel.Rows, nr = TKernel.Columns;
        // A narrow C (a few classes) would leave most of each wide tile as padding; computing Cᵀ = op(B)ᵀ·op(A)ᵀ
        // puts the narrow side on the short tile edge instead, and tiles are written back transposed.
        bool transposeC = (long)RoundUp(m, nr) * RoundUp(n, mr) * 10 < (long)RoundUp(m, mr) * RoundUp(n, nr) * 7;
        if (transposeC)
        {
            (ta, tb, lda, ldb, m, n) = (!tb, !ta, ldb, lda, n, m);
            float* swap = a;
            a = b;
            b = swap;
        }
        int depthBlocks = (k + MaxDepthBlock - 1) / MaxDepthBlock;
        int kcMax = (k + depthBlocks - 1) / depthBlocks;
        int rowBlock = RoundUp(Math.Min(RowBlock, m), mr);
        int columnBlock = RoundUp(Math.Min(ColumnBlock, n), nr);

        using PinnedBuffer bufferA = PinnedBuffer.Rent((long)rowBlock * kcMax);
        using PinnedBuffer bufferB = PinnedBuffer.Rent((long)columnBlock * kcMax);
        var job = new Job<TKernel>
        {
            TransA = ta, TransB = tb, A = a, Lda = lda, B = b, Ldb = ldb, C = c, Ldc = ldc, Alpha = alpha,
            PackedA = bufferA.Pointer, PackedB = bufferB.Pointer, TransposeC = transposeC,
            DirectB = !tb && m <= 4 * mr,
        };
        bool parallel = (double)m * n * k >= 1 << 21;
        int threads = NumericsSettings.MaxDegreeOfParallelism;
        for (int p0 = 0; p0 < k; p0 += kcMax)
        {
            job.Depth0 = p0;
            job.DepthCount = Math.Min(kcMax, k - p0);
            job.Beta = p0 == 0 ? beta : 1f;
            for (int i0 = 0; i0 < m; i0 += rowBlock)
            {
                job.Row0 = i0;
                job.RowCount = Math.Min(rowBlock, m - i0);
                job.RowSlivers = (job.RowCount + mr - 1) / mr;
                job.ASliversPending = true;
                for (int j0 = 0; j0 < n; j0 += columnBlock)
                {
                    job.Column0 = j0;
                    job.ColumnCount = Math.Min(columnBlock, n - j0);
                    job.ColumnSlivers = (job.ColumnCount + nr - 1) / nr;
                    // A is packed once per row block, together with the first column block's B.
                    ParallelWork.For(job.ColumnSlivers + (job.ASliversPending ? job.RowSlivers : 0), job.PackSliver, parallel);
                    job.ASliversPending = false;
                    job.ChooseUnits(threads);
                    ParallelWork.For(job.UnitCount, job.RunUnit, parallel);
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>The state of one call, shared read-only by the workers of each parallel phase.</summary>
    private sealed class Job<TKernel> where TKernel : IGemmMicroKernel
    {
        public bool TransA, TransB, TransposeC;

        /// <summary>
        /// Whether whole B slivers are read in place instead of packed: when only a few rows of C share each sliver,
        /// packing would cost as much memory traffic as the product itself. Same values in the same order, so the
        /// results are identical either way.
        /// </summary>
        public bool DirectB;
        public float* A, B, C, PackedA, PackedB;
        public nint Lda, Ldb, Ldc;
        public float Alpha, Beta;
        public int Depth0, DepthCount, Row0, RowCount, RowSlivers, Column0, ColumnCount, ColumnSlivers;
        public int SliversPerUnitRow, SliversPerUnitColumn, UnitRowCount;

        private int SliverA => TKernel.Rows * DepthCount;
        private int SliverB => TKernel.Columns * DepthCount;

        public bool ASliversPending;
        public int UnitCount;

        /// <summary>
        /// Units of whole tiles: as large as the caches allow (≤ 96 rows × 512 columns), but small enough that every
        /// thread gets several, so a thread slowed by other work does not hold the rest up.
        /// </summary>
        public void ChooseUnits(int threads)
        {
            int rowsPerUnit = Math.Max(1, UnitRows / TKernel.Rows);
            int columnsPerUnit = Math.Max(1, UnitBBytes / (DepthCount * sizeof(float) * TKernel.Columns));
            int target = threads == 1 ? 1 : 4 * threads;
            while (Units(rowsPerUnit, columnsPerUnit) < target && (rowsPerUnit > 2 || columnsPerUnit > 1))
            {
                if (columnsPerUnit > 1 && (columnsPerUnit * TKernel.Columns >= rowsPerUnit * TKernel.Rows || rowsPerUnit <= 2))
                    columnsPerUnit = (columnsPerUnit + 1) / 2;
                else
                    rowsPerUnit = (rowsPerUnit + 1) / 2;
            }
            SliversPerUnitRow = rowsPerUnit;
            SliversPerUnitColumn = columnsPerUnit;
            UnitRowCount = (RowSlivers + rowsPerUnit - 1) / rowsPerUnit;
            UnitCount = UnitRowCount * ((ColumnSlivers + columnsPerUnit - 1) / columnsPerUnit);
        }

        private int Units(int rowsPerUnit, int columnsPerUnit)
            => ((RowSlivers + rowsPerUnit - 1) / rowsPerUnit) * ((ColumnSlivers + columnsPerUnit - 1) / columnsPerUnit);

        public void PackSliver(int s)
        {
            if (s < ColumnSlivers)
            {
                if (!DirectB || (s + 1) * TKernel.Columns > ColumnCount)
                    PackBSliver(s);
            }
            else
                PackASliver(s - ColumnSlivers);
        }

        private void PackASliver(int s)
        {
            int mr = TKernel.Rows;
            GemmPacking.PackA(TransA, A, Lda, Row0 + s * mr, Math.Min(mr, RowCount - s * mr), Depth0, DepthCount, mr,
                PackedA + (nint)s * SliverA);
        }

        private void PackBSliver(int s)
        {
            int nr = TKernel.Columns;
            GemmPacking.PackB(TransB, B, Ldb, Depth0, DepthCount, Column0 + s * nr, Math.Min(nr, ColumnCount - s * nr), nr,
                PackedB + (nint)s * SliverB);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunUnit(int unit)
        {
            int mr = TKernel.Rows, nr = TKernel.Columns;
            int ur = unit % UnitRowCount, uc = unit / UnitRowCount;
            int s0 = ur * SliversPerUnitRow, s1 = Math.Min(RowSlivers, s0 + SliversPerUnitRow);
            int t0 = uc * SliversPerUnitColumn, t1 = Math.Min(ColumnSlivers, t0 + SliversPerUnitColumn);
            float* tile = stackalloc float[mr * nr];
            for (int s = s0; s < s1; s++)
            {
                float* pa = PackedA + (nint)s * SliverA;
                int i = Row0 + s * mr, rows = Math.Min(mr, RowCount - s * mr);
                for (int t = t0; t < t1; t++)
                {
                    int j = Column0 + t * nr, cols = Math.Min(nr, ColumnCount - t * nr);
                    bool inPlace = DirectB && cols == nr;
                    float* pb = inPlace ? B + Depth0 * Ldb + j : PackedB + (nint)t * SliverB;
                    nint strideB = inPlace ? Ldb : nr;
                    if (TransposeC)
                    {
                        // Tile element (r, q) is C[j + q, i + r].
                        TKernel.Multiply(DepthCount, pa, pb, strideB, tile, nr, 1f, 0f);
                        for (int q = 0; q < cols; q++)
                        {
                            float* cq = C + (j + q) * Ldc + i;
                            for (int r = 0; r < rows; r++)
                                cq[r] = ScalarGemmMicroKernel.Combine(Alpha, tile[r * nr + q], Beta, cq[r]);
                        }
                        continue;
                    }
                    float* ct = C + i * Ldc + j;
                    if (rows == mr && cols == nr)
                    {
                        TKernel.Multiply(DepthCount, pa, pb, strideB, ct, Ldc, Alpha, Beta);
                        continue;
                    }
                    // Edge tile: compute the whole padded tile aside, then write only the valid part.
                    TKernel.Multiply(DepthCount, pa, pb, strideB, tile, nr, 1f, 0f);
                    for (int r = 0; r < rows; r++)
                    {
                        for (int q = 0; q < cols; q++)
                            ct[r * Ldc + q] = ScalarGemmMicroKernel.Combine(Alpha, tile[r * nr + q], Beta, ct[r * Ldc + q]);
                    }
                }
            }
        }
    }
}
