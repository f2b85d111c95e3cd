namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// Where an integer tile may stop early (exact pruning). Coordinates are visited in a fixed order; at each checkpoint
/// the tile forms, for every (row, query) pair, the distance over the coordinates visited so far. Those partial sums
/// only grow, so once every pair's partial sum has reached its query's <see cref="Limits">limit</see> (a sum the
/// query's shortlist would reject) no pair of the tile can be admitted, and the tile stops: the answer is unchanged.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>L1: the partial sum is the sum over the all-zero groups (summed first, the same for the six rows) plus the
/// active groups before the checkpoint.</item>
/// <item>L2 (from dot products): the partial sum over the coordinates before checkpoint <c>t</c> is
/// <c>Σy² + Σx² − 2Σxy</c>, the prefix squares of rows and queries being known in advance: exactly <c>Σ(x − y)²</c>
/// over those coordinates, including the skipped ones where every row is zero.</item>
/// </list>
/// </remarks>
internal readonly unsafe struct PartialSumChecks
{
    public PartialSumChecks(int count, int* ends, int* limits, int* rowSquares, int* querySquares)
    {
        Count = count;
        Ends = ends;
        Limits = limits;
        RowSquares = rowSquares;
        QuerySquares = querySquares;
    }

    /// <summary>Checkpoints (none: the tile runs to the end).</summary>
    public int Count { get; }

    /// <summary><c>Ends[t]</c>: how many of the listed coordinate units lie before checkpoint <c>t</c>.</summary>
    public int* Ends { get; }

    /// <summary>Per query of the panel: the smallest sum the query's shortlist rejects (0 for padding queries).</summary>
    public int* Limits { get; }

    /// <summary>L2: <c>RowSquares[r · Count + t]</c> = Σy² of tile row r over the coordinates before checkpoint t.</summary>
    public int* RowSquares { get; }

    /// <summary>L2: <c>QuerySquares[t · columns + j]</c> = Σx² of panel query j over the coordinates before checkpoint t.</summary>
    public int* QuerySquares { get; }
}
