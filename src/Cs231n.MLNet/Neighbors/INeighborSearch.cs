namespace Cs231n.MLNet.Neighbors;

/// <summary>An exact k-nearest-neighbour search over a fixed training matrix, safe to call from many threads.</summary>
internal interface INeighborSearch
{
    /// <summary>
    /// For each of <paramref name="queryCount"/> query rows, writes the <paramref name="k"/> nearest training rows in
    /// ascending order of distance (equal distances: smaller row index first) and their distances.
    /// </summary>
    void Search(ReadOnlySpan<float> queries, int queryCount, int k, Span<int> indices, Span<float> distances);
}
