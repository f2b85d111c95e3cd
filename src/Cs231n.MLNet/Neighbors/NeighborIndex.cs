namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// Exact brute-force nearest-neighbour search over a dense row-major training matrix. Built once per fitted model
/// (it precomputes what the distance needs, such as row norms) and immutable afterwards, so it is safe to search
/// from many threads at once.
/// </summary>
internal sealed class NeighborIndex
{
    private readonly float[] _rows;

    /// <summary>Wraps (does not copy) <paramref name="rows"/>, a <paramref name="count"/>×<paramref name="dimension"/> matrix.</summary>
    public NeighborIndex(float[] rows, int count, int dimension, KnnDistance distance)
    {
        if ((long)count * dimension != rows.Length)
            throw new ArgumentException($"Expected {count}×{dimension} = {(long)count * dimension} values, got {rows.Length}.", nameof(rows));
        _rows = rows;
        Count = count;
        Dimension = dimension;
        Distance = distance;
    }

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
    public void Search(ReadOnlySpan<float> queries, int queryCount, int k, Span<int> indices, Span<float> distances)
    {
        if (k < 1 || k > Count)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and the number of indexed rows ({Count}).");
        var all = new float[Count];
        var order = new int[Count];
        for (int q = 0; q < queryCount; q++)
        {
            ReadOnlySpan<float> query = queries.Slice(q * Dimension, Dimension);
            for (int r = 0; r < Count; r++)
            {
                all[r] = SimpleDistance(query, _rows.AsSpan(r * Dimension, Dimension), Distance);
                order[r] = r;
            }
            Array.Sort(all, order);
            // Array.Sort is not stable: restore index order among equal distances.
            int start = 0;
            for (int r = 1; r <= Count; r++)
            {
                if (r == Count || all[r] != all[start])
                {
                    Array.Sort(order, start, r - start);
                    start = r;
                }
            }
            for (int j = 0; j < k; j++)
            {
                indices[q * k + j] = order[j];
                distances[q * k + j] = all[j];
            }
        }
    }

    internal static float SimpleDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y, KnnDistance distance)
    {
        double sum = 0, xx = 0, yy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = (double)x[i] - y[i];
            switch (distance)
            {
                case KnnDistance.L1: sum += Math.Abs(d); break;
                case KnnDistance.L2: sum += d * d; break;
                default: sum += (double)x[i] * y[i]; xx += (double)x[i] * x[i]; yy += (double)y[i] * y[i]; break;
            }
        }
        return distance switch
        {
            KnnDistance.L1 => (float)sum,
            KnnDistance.L2 => (float)Math.Sqrt(sum),
            _ => xx == 0 || yy == 0 ? 1f : (float)(1 - sum / Math.Sqrt(xx * yy)),
        };
    }
}
