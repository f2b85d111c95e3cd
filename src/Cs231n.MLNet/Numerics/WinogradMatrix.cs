using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cs231n.MLNet.Numerics;

/// <summary>How the rows or columns of a Winograd matrix mirror each other (<see cref="WinogradMatrix"/>).</summary>
internal enum WinogradPairing
{
    /// <summary>No usable symmetry: every coefficient is applied.</summary>
    None,

    /// <summary>
    /// Rows 2j − 1 and 2j belong to the points ±p (Bᵀ, G and A): <c>L[2j, k] = (−1)^k L[2j − 1, k]</c>, so the two
    /// outputs are E + O and E − O of one row's even and odd terms.
    /// </summary>
    Rows,

    /// <summary>
    /// Columns 2j − 1 and 2j belong to the points ±p (B, Gᵀ and Aᵀ): <c>L[i, 2j] = (−1)^i L[i, 2j − 1]</c>, so each
    /// output needs only the pair's sum (even i) or difference (odd i).
    /// </summary>
    Columns,
}

/// <summary>
/// One p×q matrix L of a Winograd transform, laid out for <see cref="WinogradTiles.Apply"/>: its rows padded with zeros
/// to <see cref="WinogradTiles.MaxSide"/> columns, a mask of the nonzero coefficients of each row, and the ± symmetry
/// of its rows or columns.
/// </summary>
/// <remarks>
/// The Cook–Toom matrices are built from the points 0, ±1, ±2, ±½ and ∞, in that order, so after the first row or
/// column every two belong to a point and its negative. Using that symmetry and skipping the zeros halves the
/// arithmetic of a transform: the 8×8 input transform takes 34 operations per line of eight instead of 64. The
/// symmetry is checked coefficient by coefficient on the float values; a matrix without it is applied in full.
/// </remarks>
internal sealed unsafe class WinogradMatrix
{
    private readonly float[] _padded;
    private readonly int[] _masks;

    /// <summary>Lays out the row-major p×q matrix <paramref name="l"/>, or its transpose when <paramref name="transpose"/>.</summary>
    public WinogradMatrix(float[] l, int p, int q, bool transpose = false)
    {
        (Rows, Columns) = transpose ? (q, p) : (p, q);
        if (Rows > WinogradTiles.MaxSide || Columns > WinogradTiles.MaxSide)
            throw new ArgumentOutOfRangeException(nameof(l), $"A {Rows}×{Columns} transform exceeds the {WinogradTiles.MaxSide}×{WinogradTiles.MaxSide} tiles.");
        // Pinned, so the hot loops read the coefficients through a pointer without fixing the array on every call.
        _padded = GC.AllocateArray<float>(Rows * WinogradTiles.MaxSide, pinned: true);
        _masks = GC.AllocateArray<int>(Rows, pinned: true);
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Columns; j++)
            {
                float value = transpose ? l[j * q + i] : l[i * q + j];
                _padded[i * WinogradTiles.MaxSide + j] = value;
                if (value != 0)
                    _masks[i] |= 1 << j;
            }
        }
        Pairing = HasPairedRows() ? WinogradPairing.Rows : HasPairedColumns() ? WinogradPairing.Columns : WinogradPairing.None;
    }

    /// <summary>p, the outputs of each one-dimensional pass.</summary>
    public int Rows { get; }

    /// <summary>q, the inputs of each one-dimensional pass.</summary>
    public int Columns { get; }

    /// <summary>The symmetry <see cref="WinogradTiles.Apply"/> exploits.</summary>
    public WinogradPairing Pairing { get; }

    /// <summary>One mask per row: bit k of row i is set where L[i, k] ≠ 0.</summary>
    public int* MaskPointer => (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_masks));

    /// <summary>Row i's coefficients start at <c>Coefficients + i·MaxSide</c>; columns past q are zero.</summary>
    public float* Coefficients => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_padded));

    private float At(int i, int j) => _padded[i * WinogradTiles.MaxSide + j];

    private bool HasPairedRows()
    {
        if (Rows < 4 || Rows % 2 != 0)
            return false;
        for (int i = 1; i < Rows - 1; i += 2)
        {
            for (int k = 0; k < Columns; k++)
            {
                if (At(i + 1, k) != (k % 2 == 0 ? At(i, k) : -At(i, k)))
                    return false;
            }
        }
        return true;
    }

    private bool HasPairedColumns()
    {
        // The pass reads the pairs (1, 2), (3, 4) and, on eight columns, (5, 6); the last column stands alone.
        if (Columns != 6 && Columns != WinogradTiles.MaxSide)
            return false;
        for (int j = 1; j < Columns - 1; j += 2)
        {
            for (int i = 0; i < Rows; i++)
            {
                if (At(i, j + 1) != (i % 2 == 0 ? At(i, j) : -At(i, j)))
                    return false;
            }
        }
        return true;
    }
}
