namespace Cs231n.MLNet.Numerics;

/// <summary>
/// The innermost piece of the packed GEMM: one <see cref="Rows"/>×<see cref="Columns"/> tile of C held in registers
/// while it accumulates a packed A sliver (kc×Rows, one column of Rows values per step) times a packed B sliver
/// (kc×Columns, one row per step). Every C element is a plain sequential fused multiply-add chain over p, which
/// keeps results independent of how the tiles are spread over threads.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of the register tile (MR).</summary>
    static abstract int Rows { get; }

    /// <summary>Columns of the register tile (NR).</summary>
    static abstract int Columns { get; }

    /// <summary>
    /// <c>C = alpha·Σ + beta·C</c> for a full tile at <paramref name="c"/> (row stride <paramref name="ldc"/>);
    /// beta = 0 overwrites C without reading it. Consecutive rows of the B sliver are <paramref name="strideB"/>
    /// apart: <see cref="Columns"/> when packed, or the leading dimension when B is read in place.
    /// </summary>
    static abstract void Multiply(int kc, float* packedA, float* packedB, nint strideB, float* c, nint ldc, float alpha, float beta);
}
