using System.Buffers;
using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Cache-blocked single-precision GEMM in the Goto/BLIS arrangement. The k dimension is cut into blocks of at most
/// <see cref="BlockSizes.DepthBlock"/> (the same cut for every C element, so results do not depend on threading); per depth
/// block, op(A) and op(B) are packed into slivers, and independent units of C tiles run in parallel. Within a
/// unit one A sliver stays in L1 while the unit's B slivers (at most 512 KB) are streamed from L2.
/// </summary>
internal static unsafe class PackedGemm
{
    public static void Multiply(SimdInstructionSet instructionSet, bool ta, bool tb, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        switch (instructionSet)
        {
            case SimdInstructionSet.Vector512:
                Multiply<Vector512GemmMicroKernel>(BlockSizes.Vector512, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
            case SimdInstructionSet.Vector256:
                Multiply<Vector256GemmMicroKernel>(BlockSizes.Vector256, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
            default:
                Multiply<ScalarGemmMicroKernel>(BlockSizes.Scalar, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply<TKernel>(BlockSizes sizes, bool ta, bool tb, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
        where TKernel : IGemmMicroKernel
    {
        int mr = TKernel.Rows, nr = TKernel.Columns;
        // A narrow C (a few classes) would leave most of each wide tile as padding; computing Cᵀ = op(B)ᵀ·op(A)ᵀ
        // puts the narrow side on the short tile edge instead, and tiles are written back transposed.
        bool transposeC = (long)Alignment.RoundUp(m, nr) * Alignment.RoundUp(n, mr) * 10 < (long)Alignment.RoundUp(m, mr) * Alignment.RoundUp(n, nr) * 7;
        if (transposeC)
        {
            (ta, tb, lda, ldb, m, n) = (!tb, !ta, ldb, lda, n, m);
            float* swap = a;
            a = b;
            b = swap;
        }
        int kcMax = sizes.DepthBlockFor(k), depthBlocks = (k + kcMax - 1) / kcMax;
        int rowBlock = Alignment.RoundUp(Math.Min(sizes.RowBlock, m), mr);
        int columnBlock = Alignment.RoundUp(Math.Min(sizes.ColumnBlock, n), nr);

        bool parallel = (double)m * n * k >= 1 << 21;
        int threads = NumericsSettings.MaxDegreeOfParallelism;
        if ((double)m * n * k <= sizes.WholePackingMaxWork)
        {
            // Small enough that every packed sliver of every depth block fits in the shared cache: pack each once, and let
            // the units compute from the shared copies. Both run in one parallel phase: the packing items come first, and a
            // unit that finds one of its slivers not yet packed packs it itself or waits for the thread packing it, so
            // a thread that is done packing starts computing at once instead of waiting for the slowest packer.
            int rowSlivers = (m + mr - 1) / mr, columnSlivers = (n + nr - 1) / nr;
            int packItems = depthBlocks * (rowSlivers + columnSlivers);
            using PinnedBuffer packedA = PinnedBuffer.Rent((long)rowSlivers * mr * k);
            using PinnedBuffer packedB = PinnedBuffer.Rent((long)columnSlivers * nr * k);
            var whole = new PackedGemmCall<TKernel>
            {
                Sizes = sizes, TransA = ta, TransB = tb, A = a, Lda = lda, B = b, Ldb = ldb, C = c, Ldc = ldc, Alpha = alpha, Beta = beta,
                PackedA = packedA.Pointer, PackedB = packedB.Pointer,
                TransposeC = transposeC, DirectB = !tb && m <= 4 * mr, Depth = k, DepthCount = kcMax,
                RowCount = m, RowSlivers = rowSlivers, ColumnCount = n, ColumnSlivers = columnSlivers,
            };
            whole.ChooseUnits(parallel ? threads : 1);
            int[] states = ArrayPool<int>.Shared.Rent(packItems);
            try
            {
                Array.Clear(states, 0, packItems);
                whole.PackStates = states;
                whole.PackItems = packItems;
                ParallelWork.For(packItems + whole.UnitCount, whole.RunWholeItem, parallel);
            }
            finally
            {
                ArrayPool<int>.Shared.Return(states);
            }
            return;
        }
        using PinnedBuffer bufferA = PinnedBuffer.Rent((long)rowBlock * kcMax);
        using PinnedBuffer bufferB = PinnedBuffer.Rent((long)columnBlock * kcMax);
        var job = new PackedGemmCall<TKernel>
        {
            Sizes = sizes, TransA = ta, TransB = tb, A = a, Lda = lda, B = b, Ldb = ldb, C = c, Ldc = ldc, Alpha = alpha,
            PackedA = bufferA.Pointer, PackedB = bufferB.Pointer, TransposeC = transposeC,
            DirectB = !tb && m <= 4 * mr, Depth = k,
        };
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


    /// <summary>The state of one call, shared read-only by the workers of each parallel phase.</summary>
    private sealed class PackedGemmCall<TKernel> where TKernel : IGemmMicroKernel
    {
        public required BlockSizes Sizes;
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
        public int Depth, Depth0, DepthCount, Row0, RowCount, RowSlivers, Column0, ColumnCount, ColumnSlivers;
        public int UnitRowCount, UnitColumnCount;

        private int SliverA => TKernel.Rows * DepthCount;
        private int SliverB => TKernel.Columns * DepthCount;

        public bool ASliversPending;
        public int UnitCount;

        /// <summary>
        /// Units of whole tiles: as large as the caches allow (at most 96 rows, and B slivers within the L2 budget),
        /// but small enough that every thread gets several, so a thread slowed by other work does not hold the rest up.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ChooseUnits(int threads)
        {
            int rowsPerUnit = Math.Max(1, Sizes.UnitRows / TKernel.Rows);
            int columnsPerUnit = Math.Max(1, Sizes.UnitBBytes / (DepthCount * sizeof(float) * TKernel.Columns));
            int target = threads == 1 ? 1 : 4 * threads;
            while (Units(rowsPerUnit, columnsPerUnit) < target && (rowsPerUnit > 2 || columnsPerUnit > 1))
            {
                if (columnsPerUnit > 1 && (columnsPerUnit * TKernel.Columns >= rowsPerUnit * TKernel.Rows || rowsPerUnit <= 2))
                    columnsPerUnit = (columnsPerUnit + 1) / 2;
                else
                    rowsPerUnit = (rowsPerUnit + 1) / 2;
            }
            // Units of (nearly) equal size, so that the last ones to finish keep every thread equally busy.
            UnitRowCount = (RowSlivers + rowsPerUnit - 1) / rowsPerUnit;
            UnitColumnCount = (ColumnSlivers + columnsPerUnit - 1) / columnsPerUnit;
            UnitCount = UnitRowCount * UnitColumnCount;
        }

        private int Units(int rowsPerUnit, int columnsPerUnit)
            => ((RowSlivers + rowsPerUnit - 1) / rowsPerUnit) * ((ColumnSlivers + columnsPerUnit - 1) / columnsPerUnit);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void PackSliver(int s)
        {
            if (s < ColumnSlivers)
            {
                if (!DirectB || (s + 1) * TKernel.Columns > ColumnCount)
                    PackBSliver(s, Depth0, DepthCount, PackedB + (nint)s * SliverB);
            }
            else
            {
                PackASliver(s - ColumnSlivers, Depth0, DepthCount, PackedA + (nint)(s - ColumnSlivers) * SliverA);
            }
        }

        private void PackASliver(int s, int depth0, int depthCount, float* destination)
        {
            int mr = TKernel.Rows;
            GemmPacking.PackA(TransA, A, Lda, Row0 + s * mr, Math.Min(mr, RowCount - s * mr), depth0, depthCount, mr, destination);
        }

        private void PackBSliver(int s, int depth0, int depthCount, float* destination)
        {
            int nr = TKernel.Columns;
            GemmPacking.PackB(TransB, B, Ldb, depth0, depthCount, Column0 + s * nr, Math.Min(nr, ColumnCount - s * nr), nr, destination);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunUnit(int unit)
        {
            UnitRange(unit, out int s0, out int s1, out int t0, out int t1);
            RunTiles(s0, s1, t0, t1, PackedA + (nint)s0 * SliverA, PackedB + (nint)t0 * SliverB, Depth0, DepthCount, Beta);
        }

        /// <summary>Per packing item of the one-phase path: 0 while not started, 1 while being packed, 2 once packed.</summary>
        public int[]? PackStates;
        public int PackItems;

        /// <summary>
        /// Item of the one-phase path: the first <see cref="PackItems"/> pack one sliver each, the rest are units, which
        /// first make sure each of their slivers is packed.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunWholeItem(int item)
        {
            if (item < PackItems)
            {
                EnsurePacked(item);
                return;
            }
            int unit = item - PackItems, perBlock = RowSlivers + ColumnSlivers;
            UnitRange(unit, out int s0, out int s1, out int t0, out int t1);
            for (int first = 0; first < PackItems; first += perBlock)
            {
                for (int s = s0; s < s1; s++)
                    EnsurePacked(first + s);
                for (int t = t0; t < t1; t++)
                    EnsurePacked(first + RowSlivers + t);
            }
            RunWholeUnit(unit);
        }

        /// <summary>Packs the sliver of <paramref name="item"/> unless another thread has; waits while one is packing it.</summary>
        private void EnsurePacked(int item)
        {
            ref int state = ref PackStates![item];
            if (Volatile.Read(ref state) == 2)
                return;
            if (Interlocked.CompareExchange(ref state, 1, 0) == 0)
            {
                PackWholeSliver(item);
                Volatile.Write(ref state, 2);
                return;
            }
            var spinner = default(SpinWait);
            while (Volatile.Read(ref state) != 2)
                spinner.SpinOnce(sleep1Threshold: -1);
        }

        /// <summary>
        /// Packs one sliver of one depth block for <see cref="RunWholeUnit"/>: depth block after depth block, each
        /// holding all A slivers then all B slivers, so a unit finds its slivers of a block side by side.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PackWholeSliver(int item)
        {
            int perBlock = RowSlivers + ColumnSlivers, block = item / perBlock, s = item % perBlock;
            int p0 = block * DepthCount, kc = Math.Min(DepthCount, Depth - p0);
            if (s < RowSlivers)
            {
                PackASliver(s, p0, kc, PackedA + (nint)RowSlivers * TKernel.Rows * p0 + (nint)s * TKernel.Rows * kc);
                return;
            }
            s -= RowSlivers;
            if (!DirectB || (s + 1) * TKernel.Columns > ColumnCount)
                PackBSliver(s, p0, kc, PackedB + (nint)ColumnSlivers * TKernel.Columns * p0 + (nint)s * TKernel.Columns * kc);
        }

        /// <summary>A unit's tiles over every depth block, from the slivers <see cref="PackWholeSliver"/> packed.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunWholeUnit(int unit)
        {
            int mr = TKernel.Rows, nr = TKernel.Columns;
            UnitRange(unit, out int s0, out int s1, out int t0, out int t1);
            for (int p0 = 0; p0 < Depth; p0 += DepthCount)
            {
                int kc = Math.Min(DepthCount, Depth - p0);
                float* a = PackedA + (nint)RowSlivers * mr * p0 + (nint)s0 * mr * kc;
                float* b = PackedB + (nint)ColumnSlivers * nr * p0 + (nint)t0 * nr * kc;
                RunTiles(s0, s1, t0, t1, a, b, p0, kc, p0 == 0 ? Beta : 1f);
            }
        }

        private void UnitRange(int unit, out int s0, out int s1, out int t0, out int t1)
        {
            int ur = unit % UnitRowCount, uc = unit / UnitRowCount;
            s0 = ur * RowSlivers / UnitRowCount;
            s1 = (ur + 1) * RowSlivers / UnitRowCount;
            t0 = uc * ColumnSlivers / UnitColumnCount;
            t1 = (uc + 1) * ColumnSlivers / UnitColumnCount;
        }

        /// <summary>Tiles of slivers s0..s1 × t0..t1, whose packed data start at the given addresses.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunTiles(int s0, int s1, int t0, int t1, float* packedA, float* packedB, int depth0, int depthCount, float beta)
        {
            int mr = TKernel.Rows, nr = TKernel.Columns;
            float* tile = stackalloc float[mr * nr];
            for (int s = s0; s < s1; s++)
            {
                float* pa = packedA + (nint)(s - s0) * mr * depthCount;
                int i = Row0 + s * mr, rows = Math.Min(mr, RowCount - s * mr);
                for (int t = t0; t < t1; t++)
                {
                    int j = Column0 + t * nr, cols = Math.Min(nr, ColumnCount - t * nr);
                    bool inPlace = DirectB && cols == nr;
                    float* pb = inPlace ? B + depth0 * Ldb + j : packedB + (nint)(t - t0) * nr * depthCount;
                    nint strideB = inPlace ? Ldb : nr;
                    if (TransposeC)
                    {
                        // Tile element (r, q) is C[j + q, i + r].
                        TKernel.Multiply(depthCount, pa, pb, strideB, tile, nr, 1f, 0f);
                        for (int q = 0; q < cols; q++)
                        {
                            float* cq = C + (j + q) * Ldc + i;
                            for (int r = 0; r < rows; r++)
                                cq[r] = ScalarGemmMicroKernel.Combine(Alpha, tile[r * nr + q], beta, cq[r]);
                        }
                        continue;
                    }
                    float* ct = C + i * Ldc + j;
                    if (rows == mr && cols == nr)
                    {
                        TKernel.Multiply(depthCount, pa, pb, strideB, ct, Ldc, Alpha, beta);
                        continue;
                    }
                    // Edge tile: compute the whole padded tile aside, then write only the valid part.
                    TKernel.Multiply(depthCount, pa, pb, strideB, tile, nr, 1f, 0f);
                    for (int r = 0; r < rows; r++)
                    {
                        for (int q = 0; q < cols; q++)
                            ct[r * Ldc + q] = ScalarGemmMicroKernel.Combine(Alpha, tile[r * nr + q], beta, ct[r * Ldc + q]);
                    }
                }
            }
        }
    }
}
