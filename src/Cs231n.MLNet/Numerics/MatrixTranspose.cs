namespace Cs231n.MLNet.Numerics;

/// <summary>Whether a matrix operand of <see cref="Gemm"/> is used as stored or transposed.</summary>
public enum MatrixTranspose
{
    /// <summary>Use the matrix as stored (row-major).</summary>
    None,

    /// <summary>Use the transpose of the stored matrix.</summary>
    Transpose,
}
