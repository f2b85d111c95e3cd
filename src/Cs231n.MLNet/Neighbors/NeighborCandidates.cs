namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// The fast pass's shortlist for a chunk of queries: per query at most <see cref="Capacity"/> (key, row) pairs kept
/// sorted by key then row, plus each query's admission threshold (the worst kept key once the list is full), laid
/// out so the search kernels can compare a whole panel of keys against it at once.
/// </summary>
internal sealed class NeighborCandidates
{
    public NeighborCandidates(int queryCount, int capacity, int paddedQueryCount)
    {
        QueryCount = queryCount;
        Capacity = capacity;
        Keys = new float[queryCount * capacity];
        Rows = new int[queryCount * capacity];
        Counts = new int[queryCount];
        Thresholds = new float[paddedQueryCount];
        // Padding queries of the last panel must never admit anything.
        Thresholds.AsSpan(0, queryCount).Fill(float.PositiveInfinity);
        Thresholds.AsSpan(queryCount).Fill(float.NegativeInfinity);
    }

    public int QueryCount { get; }

    public int Capacity { get; }

    /// <summary>Query-major, <see cref="Capacity"/> per query, ascending.</summary>
    public float[] Keys { get; }

    public int[] Rows { get; }

    public int[] Counts { get; }

    /// <summary>A key is admitted only if strictly below this (rows arrive in increasing order, so equal keys keep the earlier row).</summary>
    public float[] Thresholds { get; }

    /// <summary>Inserts a row whose key is below the query's threshold; only one thread touches a given query at a time.</summary>
    public void Offer(int query, float key, int row)
    {
        int start = query * Capacity, count = Counts[query];
        float[] keys = Keys;
        int[] rows = Rows;
        int position = count < Capacity ? count : Capacity - 1;
        // Shift worse entries right; ties keep the earlier (smaller) row in front.
        while (position > 0 && keys[start + position - 1] > key)
        {
            keys[start + position] = keys[start + position - 1];
            rows[start + position] = rows[start + position - 1];
            position--;
        }
        keys[start + position] = key;
        rows[start + position] = row;
        if (count < Capacity)
            Counts[query] = ++count;
        if (count == Capacity)
            Thresholds[query] = keys[start + Capacity - 1];
    }

    /// <summary>
    /// Replaces these (empty) shortlists by the best of <paramref name="parts"/>, which screened consecutive,
    /// increasing ranges of rows: offering them in part order keeps the earlier row first among equal keys.
    /// </summary>
    public void Merge(NeighborCandidates[] parts)
    {
        for (int q = 0; q < QueryCount; q++)
        {
            foreach (NeighborCandidates part in parts)
            {
                for (int i = 0, start = q * part.Capacity; i < part.Counts[q]; i++)
                {
                    if (part.Keys[start + i] < Thresholds[q])
                        Offer(q, part.Keys[start + i], part.Rows[start + i]);
                }
            }
        }
    }
}
