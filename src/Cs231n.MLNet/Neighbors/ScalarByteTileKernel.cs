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
        for (int i = 0, check = 0; ; check++)
        {
            int end = check < checks.Count ? checks.Ends[check] : pairCount;
            for (int r = 0; r < Rows; r++)
            {
                short* row = rows + r * rowStride;
                for (int j = 0; j < Width; j++)
                {
                    int sum = 0;
                    for (int u = i; u < end; u++)
                    {
                        int pair = pairs[u];
                        short* query = panel + (nint)pair * Width * 2 + j * 2;
                        sum += row[2 * pair] * query[0] + row[2 * pair + 1] * query[1];
                    }
                    tile[r * Width + j] += sum;
                }
            }
            i = end;
            if (check == checks.Count)
                return true;
            // Partial squared distance over the coordinates so far: Σy² + Σx² − 2Σxy.
            bool beyond = true;
            for (int r = 0; r < Rows && beyond; r++)
            {
                for (int j = 0; j < Width && beyond; j++)
                {
                    int partial = checks.RowSquares[r * checks.Count + check] + checks.QuerySquares[check * Width + j] - 2 * tile[r * Width + j];
                    beyond = partial >= checks.Limits[j];
                }
            }
            if (beyond)
                return false;
        }
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
        for (int i = 0, check = 0; ; check++)
        {
            int end = check < checks.Count ? checks.Ends[check] : activeCount;
            for (int r = 0; r < Rows; r++)
            {
                byte* row = rows + r * rowStride;
                for (int j = 0; j < Width; j++)
                {
                    int sum = 0;
                    for (int u = i; u < end; u++)
                    {
                        int group = groups[u];
                        byte* query = panel + (nint)group * Width * 8 + j * 8;
                        for (int p = 0; p < 8; p++)
                            sum += Math.Abs(row[8 * group + p] - query[p]);
                    }
                    tile[r * Width + j] += sum;
                }
            }
            i = end;
            if (check == checks.Count)
                return true;
            bool beyond = true;
            for (int r = 0; r < Rows && beyond; r++)
            {
                for (int j = 0; j < Width && beyond; j++)
                    beyond = tile[r * Width + j] >= checks.Limits[j];
            }
            if (beyond)
                return false;
        }
    }
}
