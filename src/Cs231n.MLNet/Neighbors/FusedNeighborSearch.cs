using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// The fast pass of the exact search: distance keys of every (query, training row) pair computed tile by tile and
/// immediately screened into per-query shortlists, so the query×training distance matrix never exists. Keys are
/// monotone in the distance for a fixed query: <c>‖y‖² − 2x·y</c> for L2 (the query's own ‖x‖² is dropped),
/// <c>−x·y/‖y‖</c> for cosine, <c>Σ|x − y|</c> for L1. Training rows are streamed in blocks sized for the shared
/// cache while each worker keeps two packed panels of queries in its private L2.
/// </summary>
internal static unsafe class FusedNeighborSearch
{
    /// <summary>The precomputed, read-only view of an index that the pass needs.</summary>
    public readonly struct Training
    {
        public float* Rows { get; init; }
        public int Count { get; init; }
        public int Dimension { get; init; }
        public KnnDistance Distance { get; init; }
        /// <summary>Zero-padded copy of the last incomplete group of six rows (null when Count is a multiple of six).</summary>
        public float* TailRows { get; init; }
        /// <summary>Per-row key offset (‖y‖² for L2) or scale (−1/‖y‖ for cosine).</summary>
        public float* RowTerms { get; init; }
    }

    /// <summary>Queries per panel for a kernel: 64 (AVX-512), 16 (AVX2) or 4 (scalar).</summary>
    public static int PanelWidth(SimdInstructionSet kernel) => kernel switch
    {
        SimdInstructionSet.Vector512 => Vector512DistanceTileKernel.Columns,
        SimdInstructionSet.Vector256 => Vector256DistanceTileKernel.Columns,
        _ => ScalarDistanceTileKernel.Columns,
    };

    public static void Collect(SimdInstructionSet kernel, in Training training, float* queries, NeighborCandidates candidates)
    {
        if (candidates.QueryCount <= KnnBlockSizes.FewQueries)
        {
            CollectFewQueries(training, queries, candidates);
            return;
        }
        switch (kernel)
        {
            case SimdInstructionSet.Vector512:
                Collect<Vector512DistanceTileKernel>(training, queries, candidates);
                break;
            case SimdInstructionSet.Vector256:
                Collect<Vector256DistanceTileKernel>(training, queries, candidates);
                break;
            default:
                Collect<ScalarDistanceTileKernel>(training, queries, candidates);
                break;
        }
    }

    private static void Collect<TKernel>(in Training training, float* queries, NeighborCandidates candidates)
        where TKernel : IDistanceTileKernel
    {
        int width = TKernel.Columns, dimension = training.Dimension;
        int panels = (candidates.QueryCount + width - 1) / width;
        using PinnedBuffer packed = PinnedBuffer.Rent((long)panels * width * dimension);
        var scan = new QueryPanelScan<TKernel>
        {
            Training = training, Queries = queries, Packed = packed.Pointer, Candidates = candidates,
        };
        ParallelWork.For(panels, scan.PackPanel);
        if (panels <= KnnBlockSizes.PanelsPerItem && training.Count >= KnnBlockSizes.RowParts * KnnBlockSizes.MinRowsPerPart)
        {
            CollectByRowParts(scan, candidates);
            return;
        }
        int rowsPerBlock = Math.Max(IDistanceTileKernel.Rows,
            KnnBlockSizes.TrainingBlockBytes / (dimension * sizeof(float)) / IDistanceTileKernel.Rows * IDistanceTileKernel.Rows);
        for (int row0 = 0; row0 < training.Count; row0 += rowsPerBlock)
        {
            scan.BlockStart = row0;
            scan.BlockEnd = Math.Min(training.Count, row0 + rowsPerBlock);
            ParallelWork.For((panels + KnnBlockSizes.PanelsPerItem - 1) / KnnBlockSizes.PanelsPerItem, scan.ScanBlock);
        }
    }

    /// <summary>
    /// One to a few queries (batch-1 prediction): a panel would mostly compute padding and the pass is bound by
    /// reading the training rows anyway, so each row is simply measured against each query with vectorised dot
    /// products or L1 sums, the rows split into fixed parts across the cores.
    /// </summary>
    private static void CollectFewQueries(Training training, float* queries, NeighborCandidates candidates)
    {
        int count = training.Count, dimension = training.Dimension;
        int partCount = count >= KnnBlockSizes.RowParts * KnnBlockSizes.MinRowsPerPart ? KnnBlockSizes.RowParts : 1;
        int rowsPerPart = (count + partCount - 1) / partCount;
        var parts = new NeighborCandidates[partCount];
        ParallelWork.For(partCount, part =>
        {
            var shortlist = parts[part] = new NeighborCandidates(candidates.QueryCount, candidates.Capacity, candidates.QueryCount);
            for (int row = part * rowsPerPart, end = Math.Min(count, row + rowsPerPart); row < end; row++)
            {
                var y = new ReadOnlySpan<float>(training.Rows + (nint)row * dimension, dimension);
                for (int q = 0; q < candidates.QueryCount; q++)
                {
                    var x = new ReadOnlySpan<float>(queries + (nint)q * dimension, dimension);
                    float key = training.Distance switch
                    {
                        KnnDistance.L1 => SumOfAbsoluteDifferences(x, y),
                        KnnDistance.L2 => MathF.FusedMultiplyAdd(SmallGemm.Dot(x, y), -2f, training.RowTerms[row]),
                        _ => SmallGemm.Dot(x, y) * training.RowTerms[row],
                    };
                    if (key < shortlist.Thresholds[q])
                        shortlist.Offer(q, key, row);
                }
            }
        });
        candidates.Merge(parts);
    }

    private static float SumOfAbsoluteDifferences(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var total = Vector<float>.Zero;
            for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
                total += Vector.Abs(new Vector<float>(x.Slice(i)) - new Vector<float>(y.Slice(i)));
            sum = Vector.Sum(total);
        }
        for (; i < x.Length; i++)
            sum += MathF.Abs(x[i] - y[i]);
        return sum;
    }

    /// <summary>
    /// A handful of queries (batch-1 prediction) is one work item; to use every core the training rows are split
    /// into a fixed number of parts (fixed, so the answer does not depend on the thread count), each with its own
    /// shortlists, merged in row order afterwards.
    /// </summary>
    private static void CollectByRowParts<TKernel>(QueryPanelScan<TKernel> prototype, NeighborCandidates candidates)
        where TKernel : IDistanceTileKernel
    {
        int count = prototype.Training.Count;
        int rowsPerPart = (count / KnnBlockSizes.RowParts + IDistanceTileKernel.Rows - 1) / IDistanceTileKernel.Rows * IDistanceTileKernel.Rows;
        var parts = new NeighborCandidates[KnnBlockSizes.RowParts];
        ParallelWork.For(KnnBlockSizes.RowParts, part =>
        {
            parts[part] = new NeighborCandidates(candidates.QueryCount, candidates.Capacity, candidates.Thresholds.Length);
            var scan = new QueryPanelScan<TKernel>
            {
                Training = prototype.Training, Queries = prototype.Queries, Packed = prototype.Packed, Candidates = parts[part],
                BlockStart = Math.Min(count, part * rowsPerPart),
                BlockEnd = part == KnnBlockSizes.RowParts - 1 ? count : Math.Min(count, (part + 1) * rowsPerPart),
            };
            scan.ScanBlock(0);
        });
        candidates.Merge(parts);
    }

    /// <summary>
    /// One search's packed query panels and the sweep of a block of training rows over them (one work item: a few
    /// panels); the shared state that every parallel work item reads.
    /// </summary>
    private sealed class QueryPanelScan<TKernel> where TKernel : IDistanceTileKernel
    {
        public Training Training;
        public float* Queries, Packed;
        public NeighborCandidates Candidates = null!;
        public int BlockStart, BlockEnd;

        private int PanelLength => TKernel.Columns * Training.Dimension;

        /// <summary>Packs one panel dimension-major (for each coordinate, that coordinate of every query), as GEMM packs B.</summary>
        public void PackPanel(int panel)
        {
            int width = TKernel.Columns, first = panel * width;
            GemmPacking.PackB(transposed: true, Queries, Training.Dimension, 0, Training.Dimension, first,
                Math.Min(width, Candidates.QueryCount - first), width, Packed + (nint)panel * PanelLength);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ScanBlock(int item)
        {
            const int rows = IDistanceTileKernel.Rows;
            int width = TKernel.Columns, dimension = Training.Dimension;
            int panels = (Candidates.QueryCount + width - 1) / width;
            int firstPanel = item * KnnBlockSizes.PanelsPerItem, lastPanel = Math.Min(panels, firstPanel + KnnBlockSizes.PanelsPerItem);
            float* tile = stackalloc float[rows * TKernel.Columns];
            bool l1 = Training.Distance == KnnDistance.L1;
            for (int row0 = BlockStart; row0 < BlockEnd; row0 += rows)
            {
                int valid = Math.Min(rows, Training.Count - row0);
                float* source = valid == rows ? Training.Rows + (nint)row0 * dimension : Training.TailRows;
                for (int panel = firstPanel; panel < lastPanel; panel++)
                {
                    float* panelData = Packed + (nint)panel * PanelLength;
                    if (l1)
                        TKernel.L1(source, dimension, panelData, dimension, tile);
                    else
                        TKernel.Dot(source, dimension, panelData, dimension, tile);
                    Screen(tile, width, row0, valid, panel * width);
                }
            }
        }

        /// <summary>Turns a tile into keys and offers the few that beat their query's threshold.</summary>
        private void Screen(float* tile, int width, int row0, int validRows, int firstQuery)
        {
            NeighborCandidates candidates = Candidates;
            fixed (float* thresholds = candidates.Thresholds)
            {
                for (int r = 0; r < validRows; r++)
                {
                    int row = row0 + r;
                    float* keys = tile + r * width;
                    MakeKeys(keys, width, row);
                    float* limit = thresholds + firstQuery;
                    int j = 0;
                    if (Vector256.IsHardwareAccelerated)
                    {
                        for (; j + 8 <= width; j += 8)
                        {
                            uint below = Vector256.LessThan(Vector256.Load(keys + j), Vector256.Load(limit + j)).ExtractMostSignificantBits();
                            while (below != 0)
                            {
                                int lane = BitOperations.TrailingZeroCount(below);
                                below &= below - 1;
                                // An earlier offer in this tile may have lowered the threshold.
                                if (keys[j + lane] < limit[j + lane])
                                    candidates.Offer(firstQuery + j + lane, keys[j + lane], row);
                            }
                        }
                    }
                    for (; j < width; j++)
                    {
                        if (keys[j] < limit[j])
                            candidates.Offer(firstQuery + j, keys[j], row);
                    }
                }
            }
        }

        private void MakeKeys(float* values, int width, int row)
        {
            KnnDistance distance = Training.Distance;
            if (distance == KnnDistance.L1)
                return;
            float term = Training.RowTerms[row];
            int j = 0;
            if (distance == KnnDistance.L2)
            {
                if (Vector256.IsHardwareAccelerated)
                {
                    Vector256<float> offset = Vector256.Create(term), minusTwo = Vector256.Create(-2f);
                    for (; j + 8 <= width; j += 8)
                        Vector256.Store(Vector256.FusedMultiplyAdd(Vector256.Load(values + j), minusTwo, offset), values + j);
                }
                for (; j < width; j++)
                    values[j] = MathF.FusedMultiplyAdd(values[j], -2f, term);
            }
            else
            {
                if (Vector256.IsHardwareAccelerated)
                {
                    Vector256<float> scale = Vector256.Create(term);
                    for (; j + 8 <= width; j += 8)
                        Vector256.Store(Vector256.Load(values + j) * scale, values + j);
                }
                for (; j < width; j++)
                    values[j] *= term;
            }
        }
    }
}
