using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Neighbors;

/// <summary>The portable integer tile (6 rows × 8 queries), also the reference the vector tiles are tested against.</summary>
internal readonly unsafe struct ScalarByteTileKernel : IByteDistanceTileKernel
{
    private const int Width = 8, Rows = IByteDistanceTileKernel.Rows;

    public static int DotColumns => Width;

    public static int L1Columns => Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Dot(short* rows, nint rowStride, short* panel, int* pairs, int pairCount, in PartialSumChecks checks, int* tile)
    {
        new Span<int>(tile, Rows * Width).Clear();
        return Accumulate(rows, rowStride * sizeof(short), panel, pairs, pairCount, checks, tile, &PairProduct, squaredDistances: true);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool L1(byte* rows, nint rowStride, byte* panel, int* groups, int activeCount, int zeroCount, in PartialSumChecks checks, int* tile)
    {
        for (int j = 0; j < Width; j++)
        {
            // Where every row is zero, |0 − x| = x for all six rows alike: summed first.
            int zeroPart = 0;
            for (int i = activeCount; i < activeCount + zeroCount; i++)
            {
                byte* query = panel + (nint)groups[i] * Width * 8 + j * 8;
                for (int p = 0; p < 8; p++)
                    zeroPart += query[p];
            }
            for (int r = 0; r < Rows; r++)
                tile[r * Width + j] = zeroPart;
        }
        return Accumulate(rows, rowStride, panel, groups, activeCount, checks, tile, &GroupDistance, squaredDistances: false);
    }

    /// <summary>Row · query over one pair of 16-bit coordinates.</summary>
    private static int PairProduct(byte* row, byte* panel, int j, int pair)
    {
        short* y = (short*)row + 2 * pair, x = (short*)panel + (nint)pair * Width * 2 + j * 2;
        return y[0] * x[0] + y[1] * x[1];
    }

    /// <summary>Σ|row − query| over one group of eight byte coordinates.</summary>
    private static int GroupDistance(byte* row, byte* panel, int j, int group)
    {
        byte* y = row + 8 * group, x = panel + (nint)group * Width * 8 + j * 8;
        int sum = 0;
        for (int p = 0; p < 8; p++)
            sum += Math.Abs(y[p] - x[p]);
        return sum;
    }

    /// <summary>
    /// Adds the listed units to the tile one checkpoint's stretch at a time, and stops once every partial distance
    /// (the tile itself for L1; <c>Σy² + Σx² − 2·tile</c> for dot products) reaches its query's limit.
    /// </summary>
    private static bool Accumulate(void* rows, nint rowBytes, void* panel, int* units, int count, in PartialSumChecks checks, int* tile,
        delegate*<byte*, byte*, int, int, int> unit, bool squaredDistances)
    {
        for (int i = 0, check = 0; ; check++)
        {
            int end = check < checks.Count ? checks.Ends[check] : count;
            for (int r = 0; r < Rows; r++)
            {
                for (int j = 0; j < Width; j++)
                {
                    for (int u = i; u < end; u++)
                        tile[r * Width + j] += unit((byte*)rows + r * rowBytes, (byte*)panel, j, units[u]);
                }
            }
            i = end;
            if (check == checks.Count)
                return true;
            bool beyond = true;
            for (int r = 0; r < Rows && beyond; r++)
            {
                for (int j = 0; j < Width && beyond; j++)
                {
                    int partial = squaredDistances
                        ? checks.RowSquares[r * checks.Count + check] + checks.QuerySquares[check * Width + j] - 2 * tile[r * Width + j]
                        : tile[r * Width + j];
                    beyond = partial >= checks.Limits[j];
                }
            }
            if (beyond)
                return false;
        }
    }
}
