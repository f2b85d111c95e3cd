using System.Runtime.InteropServices;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// Exact brute-force nearest-neighbour search over a dense row-major training matrix. Built once per fitted model
/// (it precomputes what the distance needs, such as row norms) and immutable afterwards, so it is safe to search
/// from many threads at once.
/// </summary>
/// <remarks>
/// Search runs in two steps. A fast single-precision pass (<see cref="FusedNeighborSearch"/>) shortlists, per query,
/// a few more rows than asked for; those are then re-ranked with <see cref="DistanceFormulas.Distance"/> (double precision),
/// ties going to the smaller row index. A rigorous rounding-error bound decides whether the shortlist provably
/// contains the true k nearest; queries where it cannot be proven (near-ties at the shortlist's edge, zero or
/// non-finite vectors) are answered by an exact scan. The answer is therefore always the one the exact scan gives.
/// </remarks>
internal sealed class NeighborIndex : INeighborSearch
{
    /// <summary>Unit roundoff of single precision.</summary>
    private const double Roundoff = 1.0 / (1 << 24);

    /// <summary>Beyond this shortlist length an exact scan per query is the simpler and cheaper plan.</summary>
    private const int MaxShortlist = 256;

    private readonly float[] _rows;
    private readonly float[] _rowTerms;
    private readonly float[]? _tailRows;
    private readonly double _maxRowNorm;
    private long _exactFallbacks;

    /// <summary>Wraps (does not copy) <paramref name="rows"/>, a <paramref name="count"/>×<paramref name="dimension"/> matrix.</summary>
    public NeighborIndex(float[] rows, int count, int dimension, KnnDistance distance)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "An index needs at least one row.");
        if (dimension < 1)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Rows need at least one feature.");
        if ((long)count * dimension != rows.Length)
            throw new ArgumentException($"Expected {count}×{dimension} = {(long)count * dimension} values, got {rows.Length}.", nameof(rows));
        if (!Enum.IsDefined(distance))
            throw new ArgumentOutOfRangeException(nameof(distance), distance, "Unknown distance; use L1, L2 or Cosine.");
        _rows = rows;
        Count = count;
        Dimension = dimension;
        Distance = distance;

        _rowTerms = new float[count];
        var squaredNorms = new double[count];
        ParallelWork.For((count + 1023) / 1024, block =>
        {
            for (int r = block * 1024, end = Math.Min(count, r + 1024); r < end; r++)
                squaredNorms[r] = SquaredNorm(rows.AsSpan(r * dimension, dimension));
        });
        double maxSquaredNorm = 0;
        for (int r = 0; r < count; r++)
        {
            double squaredNorm = squaredNorms[r];
            maxSquaredNorm = Math.Max(maxSquaredNorm, squaredNorm);
            _rowTerms[r] = distance switch
            {
                KnnDistance.L2 => (float)squaredNorm,
                KnnDistance.Cosine => squaredNorm == 0 ? 0f : (float)(-1 / Math.Sqrt(squaredNorm)),
                _ => 0f,
            };
        }
        _maxRowNorm = Math.Sqrt(maxSquaredNorm);
        int tail = count % IDistanceTileKernel.Rows;
        if (tail != 0)
        {
            // The kernels always read six rows; the last incomplete group reads this zero-padded copy.
            _tailRows = GC.AllocateArray<float>(IDistanceTileKernel.Rows * dimension, pinned: true);
            rows.AsSpan((count - tail) * dimension, tail * dimension).CopyTo(_tailRows);
        }
    }

    /// <summary>How many queries so far could not be settled by the shortlist and were scanned exactly (diagnostics).</summary>
    internal long ExactFallbacks => Interlocked.Read(ref _exactFallbacks);

    /// <summary>Number of indexed rows.</summary>
    public int Count { get; }

    /// <summary>Length of every row.</summary>
    public int Dimension { get; }

    /// <summary>The distance searched with.</summary>
    public KnnDistance Distance { get; }

    /// <summary>
    /// For each of <paramref name="queryCount"/> query rows, writes the <paramref name="k"/> nearest indexed rows in
    /// ascending order of distance (equal distances: smaller row index first) to <paramref name="indices"/> and
    /// <paramref name="distances"/>, each of length queryCount·k.
    /// </summary>
    public unsafe void Search(ReadOnlySpan<float> queries, int queryCount, int k, Span<int> indices, Span<float> distances)
    {
        ValidateSearch(Count, Dimension, queries.Length, queryCount, k, indices.Length, distances.Length);
        if (queryCount == 0)
            return;

        int shortlist = Math.Min(Count, 2 * k + 8);
        fixed (float* queryData = queries)
        fixed (int* indexData = indices)
        fixed (float* distanceData = distances)
        {
            var output = new Output(queryData, indexData, distanceData, k);
            if (shortlist > MaxShortlist)
            {
                ParallelWork.For(queryCount, q => ExactSearch(output, q));
                return;
            }
            SearchShortlisted(output, queryCount, shortlist);
        }
    }

    /// <summary>The argument checks every search shares: k in range, and spans long enough for the queries and results.</summary>
    internal static void ValidateSearch(int count, int dimension, int queryLength, int queryCount, int k, int indexLength, int distanceLength)
    {
        if (k < 1 || k > count)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and the number of indexed rows ({count}).");
        if (queryCount < 0)
            throw new ArgumentOutOfRangeException(nameof(queryCount), queryCount, "The query count must not be negative.");
        long values = (long)queryCount * dimension, results = (long)queryCount * k;
        if (queryLength < values)
            throw new ArgumentException($"Expected {queryCount}×{dimension} = {values} query values, got {queryLength}.", "queries");
        if (indexLength < results || distanceLength < results)
            throw new ArgumentException($"The result spans need {queryCount}×{k} = {results} entries; got {indexLength} indices and {distanceLength} distances.");
    }

    /// <summary>The same contract answered by an exact scan of every row for every query: the baseline for tests.</summary>
    internal unsafe void SearchExact(ReadOnlySpan<float> queries, int queryCount, int k, Span<int> indices, Span<float> distances)
    {
        if (k < 1 || k > Count)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and the number of indexed rows ({Count}).");
        fixed (float* queryData = queries)
        fixed (int* indexData = indices)
        fixed (float* distanceData = distances)
        {
            var output = new Output(queryData, indexData, distanceData, k);
            ParallelWork.For(queryCount, q => ExactSearch(output, q));
        }
    }

    private unsafe void SearchShortlisted(Output output, int queryCount, int shortlist)
    {
        SimdInstructionSet kernel = NumericsSettings.InstructionSet;
        // A wide panel would mostly compute padding for a handful of queries (batch-1 prediction).
        if (kernel == SimdInstructionSet.Vector512 && queryCount < 32 && NumericsSettings.IsSupported(SimdInstructionSet.Vector256))
            kernel = SimdInstructionSet.Vector256;
        int width = FusedNeighborSearch.PanelWidth(kernel);
        int chunk = width * 64;
        fixed (float* rows = _rows)
        fixed (float* terms = _rowTerms)
        fixed (float* tail = _tailRows)
        {
            var training = new FusedNeighborSearch.Training
            {
                Rows = rows, Count = Count, Dimension = Dimension, Distance = Distance, TailRows = tail, RowTerms = terms,
            };
            for (int first = 0; first < queryCount; first += chunk)
            {
                int count = Math.Min(chunk, queryCount - first);
                var candidates = new NeighborCandidates(count, shortlist, (count + width - 1) / width * width);
                FusedNeighborSearch.Collect(kernel, training, output.Queries + (nint)first * Dimension, candidates);
                var unproven = new bool[count];
                ParallelWork.For(count, q => unproven[q] = !Rerank(output, first + q, candidates, q));
                var fallback = Enumerable.Range(0, count).Where(q => unproven[q]).Select(q => first + q).ToArray();
                Interlocked.Add(ref _exactFallbacks, fallback.Length);
                ParallelWork.For(fallback.Length, i => ExactSearch(output, fallback[i]));
            }
        }
    }

    /// <summary>
    /// Re-ranks one query's shortlist exactly and writes the k best; false when the shortlist cannot be proven to
    /// hold the true k nearest.
    /// </summary>
    private unsafe bool Rerank(Output output, int query, NeighborCandidates candidates, int local)
    {
        int k = output.K, capacity = candidates.Capacity, count = candidates.Counts[local];
        if (count < capacity)
            return false; // Non-finite keys never enter a shortlist.
        ReadOnlySpan<float> x = new(output.Queries + (nint)query * Dimension, Dimension);
        ReadOnlySpan<float> keys = candidates.Keys.AsSpan(local * capacity, capacity);
        if (capacity < Count && !ShortlistIsConclusive(x, keys[k - 1], keys[capacity - 1]))
            return false;
        Span<float> exact = stackalloc float[capacity];
        Span<int> rows = stackalloc int[capacity];
        candidates.Rows.AsSpan(local * capacity, capacity).CopyTo(rows);
        for (int i = 0; i < capacity; i++)
            exact[i] = DistanceFormulas.Distance(x, Row(rows[i]), Distance);
        SortByDistanceThenRow(exact, rows);
        for (int j = 0; j < k; j++)
        {
            output.Indices[query * k + j] = rows[j];
            output.Distances[query * k + j] = exact[j];
        }
        return true;
    }

    /// <summary>
    /// Whether every row left out of the shortlist (fast key ≥ <paramref name="lastKey"/>) is provably farther, in
    /// the final single-precision distance, than the k-th shortlisted row (fast key <paramref name="kthKey"/>).
    /// The bounds are the classic ones for a sequential fused multiply-add sum of <c>d</c> terms, γ = d·u/(1 − d·u),
    /// inflated by 10% and a few extra roundings, plus a margin of several ulps for the final rounding to float.
    /// </summary>
    private bool ShortlistIsConclusive(ReadOnlySpan<float> x, float kthKey, float lastKey)
    {
        double gamma = 1.1 * (Dimension + 4) * Roundoff;
        switch (Distance)
        {
            case KnnDistance.L1:
            {
                // Every term |x − y| is non-negative, so the error is relative to the sum itself.
                return lastKey > 0 && lastKey * (1 - gamma) > kthKey * (1 + gamma) * (1 + 32 * Roundoff);
            }
            case KnnDistance.L2:
            {
                double queryNorm = Norm(x);
                double bound = gamma * (_maxRowNorm * _maxRowNorm + 2 * queryNorm * _maxRowNorm);
                double kthSquared = Math.Max(0, kthKey + queryNorm * queryNorm);
                return (double)lastKey - kthKey > 2 * bound + 32 * Roundoff * kthSquared + double.Epsilon;
            }
            default:
            {
                double queryNorm = Norm(x);
                return queryNorm > 0 && (double)lastKey - kthKey > 2 * gamma * queryNorm + 64 * Roundoff * queryNorm;
            }
        }
    }

    private static double Norm(ReadOnlySpan<float> x) => Math.Sqrt(SquaredNorm(x));

    /// <summary>Σx² accumulated in double (four interleaved partial sums; exact enough for the error bounds).</summary>
    private static double SquaredNorm(ReadOnlySpan<float> x)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= x.Length; i += 4)
        {
            s0 += (double)x[i] * x[i];
            s1 += (double)x[i + 1] * x[i + 1];
            s2 += (double)x[i + 2] * x[i + 2];
            s3 += (double)x[i + 3] * x[i + 3];
        }
        for (; i < x.Length; i++)
            s0 += (double)x[i] * x[i];
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>The reference answer for one query: every row's exact distance, best k by distance then row.</summary>
    private unsafe void ExactSearch(Output output, int query)
    {
        int k = output.K;
        ReadOnlySpan<float> x = new(output.Queries + (nint)query * Dimension, Dimension);
        float[] best = new float[k];
        int[] bestRows = new int[k];
        int filled = 0;
        for (int r = 0; r < Count; r++)
            Keep(DistanceFormulas.Distance(x, Row(r), Distance), r, best, bestRows, ref filled);
        for (int j = 0; j < k; j++)
        {
            output.Indices[query * k + j] = bestRows[j];
            output.Distances[query * k + j] = best[j];
        }
    }

    /// <summary>
    /// Keeps row <paramref name="row"/> among the best so far if it is nearer; rows must arrive in increasing order,
    /// so a row only displaces strictly farther ones.
    /// </summary>
    internal static void Keep(float d, int row, Span<float> best, Span<int> bestRows, ref int filled)
    {
        int k = best.Length;
        if (filled == k && !Before(d, best[k - 1]))
            return;
        int position = filled < k ? filled++ : k - 1;
        while (position > 0 && Before(d, best[position - 1]))
        {
            best[position] = best[position - 1];
            bestRows[position] = bestRows[position - 1];
            position--;
        }
        best[position] = d;
        bestRows[position] = row;
    }

    /// <summary>Strict order of distances with NaN last, matching a sort of the full distance list.</summary>
    private static bool Before(float d, float other) => float.IsNaN(other) ? !float.IsNaN(d) : d < other;

    internal static void SortByDistanceThenRow(Span<float> distances, Span<int> rows)
    {
        for (int i = 1; i < distances.Length; i++)
        {
            float d = distances[i];
            int row = rows[i], j = i - 1;
            while (j >= 0 && (Before(d, distances[j]) || (!Before(distances[j], d) && row < rows[j])))
            {
                distances[j + 1] = distances[j];
                rows[j + 1] = rows[j];
                j--;
            }
            distances[j + 1] = d;
            rows[j + 1] = row;
        }
    }

    private ReadOnlySpan<float> Row(int r) => _rows.AsSpan(r * Dimension, Dimension);

    /// <summary>The caller's pinned query and result buffers, valid for the duration of one search.</summary>
    private readonly unsafe struct Output(float* queries, int* indices, float* distances, int k)
    {
        public float* Queries { get; } = queries;
        public int* Indices { get; } = indices;
        public float* Distances { get; } = distances;
        public int K { get; } = k;
    }
}
