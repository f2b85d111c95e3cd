namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// The inner loop of the exact 8-bit search: six training rows against one packed panel of queries, every sum an
/// exact 32-bit integer (at most 255² · 2 per coordinate pair, far below 2³¹ for any realistic dimension).
/// Only the coordinate units that some of the six rows touch are visited: a unit where all six rows are zero adds
/// nothing to a dot product, and adds the query's own values (the same for all six rows) to an L1 sum.
/// </summary>
/// <remarks>
/// Panel layouts (the same for every instruction set, with its own width):
/// <list type="bullet">
/// <item>dot products: per pair of coordinates, <see cref="DotColumns"/> queries × two 16-bit values;</item>
/// <item>L1: per group of eight coordinates, <see cref="L1Columns"/> queries × eight bytes.</item>
/// </list>
/// Tiles are row-major: <c>tile[r · Columns + j]</c>.
/// </remarks>
internal unsafe interface IByteDistanceTileKernel
{
    /// <summary>Training rows per tile.</summary>
    const int Rows = 6;

    /// <summary>Queries per panel of the dot-product tile.</summary>
    static abstract int DotColumns { get; }

    /// <summary>Queries per panel of the L1 tile.</summary>
    static abstract int L1Columns { get; }

    /// <summary>
    /// <c>tile[r, j] = Σ rows[r, p]·panel[p, j]</c> over the coordinate pairs listed in <paramref name="pairs"/>
    /// (ascending). Rows are widened to 16 bits, <paramref name="rowStride"/> values apart. Returns false, leaving the
    /// tile undefined, when a checkpoint of <paramref name="checks"/> finds every partial squared distance at or
    /// beyond its query's limit.
    /// </summary>
    static abstract bool Dot(short* rows, nint rowStride, short* panel, int* pairs, int pairCount, in PartialSumChecks checks, int* tile);

    /// <summary>
    /// <c>tile[r, j] = Σ |rows[r, p] − panel[p, j]|</c> over all coordinates: the groups of eight listed first
    /// (<paramref name="activeCount"/>) are measured against the rows, the next <paramref name="zeroCount"/>, where
    /// every row is zero, add the query's own values. Rows are bytes, <paramref name="rowStride"/> apart. The active
    /// groups are listed in ascending order. Returns false, leaving the tile undefined, when a checkpoint of
    /// <paramref name="checks"/> finds every partial sum at or beyond its query's limit.
    /// </summary>
    static abstract bool L1(byte* rows, nint rowStride, byte* panel, int* groups, int activeCount, int zeroCount, in PartialSumChecks checks, int* tile);
}
