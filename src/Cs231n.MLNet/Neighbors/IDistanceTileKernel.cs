namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// The inner loop of the fused neighbour search: six training rows (read in place, <c>rowStride</c> apart) against
/// one packed panel of <see cref="Columns"/> queries (dimension-major: the panel holds, for each coordinate, that
/// coordinate of every query). Produces a 6×<see cref="Columns"/> tile of dot products or L1 sums held in registers
/// for the whole dimension, so no distance matrix is ever written.
/// </summary>
internal unsafe interface IDistanceTileKernel
{
    /// <summary>Training rows per tile.</summary>
    const int Rows = 6;

    /// <summary>Queries per panel.</summary>
    static abstract int Columns { get; }

    /// <summary><c>tile[r, j] = Σₚ rows[r, p]·panel[p, j]</c>, a sequential fused multiply-add chain per element.</summary>
    static abstract void Dot(float* rows, nint rowStride, float* panel, int dimension, float* tile);

    /// <summary><c>tile[r, j] = Σₚ |rows[r, p] − panel[p, j]|</c>, summed sequentially per element.</summary>
    static abstract void L1(float* rows, nint rowStride, float* panel, int dimension, float* tile);
}
