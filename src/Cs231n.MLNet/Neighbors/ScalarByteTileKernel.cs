using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Neighbors;

/// <summary>The portable integer tile (6 rows × 8 queries), also the reference the vector tiles are tested against.</summary>
internal readonly unsafe struct ScalarByteTileKernel : IByteDistanceTileKernel
{
    private const int Width = 8;

    public static int DotColumns => Width;

    public static int L1Columns => Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot(short* rows, nint rowStride, short* panel, int* pairs, int pairCount, int* tile)
    {
        for (int r = 0; r < IByteDistanceTileKernel.Rows; r++)
        {
            short* row = rows + r * rowStride;
            for (int j = 0; j < Width; j++)
            {
                int sum = 0;
                for (int i = 0; i < pairCount; i++)
                {
                    int pair = pairs[i];
                    short* query = panel + (nint)pair * Width * 2 + j * 2;
                    sum += row[2 * pair] * query[0] + row[2 * pair + 1] * query[1];
                }
                tile[r * Width + j] = sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void L1(byte* rows, nint rowStride, byte* panel, int* groups, int activeCount, int zeroCount, int* tile)
    {
        for (int j = 0; j < Width; j++)
        {
            // Where every row is zero, |0 − x| = x for all six rows alike.
            int zeroPart = 0;
            for (int i = activeCount; i < activeCount + zeroCount; i++)
            {
                byte* query = panel + (nint)groups[i] * Width * 8 + j * 8;
                for (int p = 0; p < 8; p++)
                    zeroPart += query[p];
            }
            for (int r = 0; r < IByteDistanceTileKernel.Rows; r++)
            {
                byte* row = rows + r * rowStride;
                int sum = zeroPart;
                for (int i = 0; i < activeCount; i++)
                {
                    int group = groups[i];
                    byte* query = panel + (nint)group * Width * 8 + j * 8;
                    for (int p = 0; p < 8; p++)
                        sum += Math.Abs(row[8 * group + p] - query[p]);
                }
                tile[r * Width + j] = sum;
            }
        }
    }
}
