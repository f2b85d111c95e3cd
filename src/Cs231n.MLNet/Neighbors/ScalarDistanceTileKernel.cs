using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Neighbors;

/// <summary>Portable tile of 6 training rows × 4 queries for processors without usable vector units.</summary>
internal readonly unsafe struct ScalarDistanceTileKernel : IDistanceTileKernel
{
    private const int Width = 4;

    public static int Columns => Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot(float* rows, nint rowStride, float* panel, int dimension, float* tile)
    {
        for (int r = 0; r < IDistanceTileKernel.Rows; r++)
        {
            float* row = rows + r * rowStride;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int p = 0; p < dimension; p++)
            {
                float a = row[p];
                float* b = panel + p * Width;
                s0 = MathF.FusedMultiplyAdd(a, b[0], s0);
                s1 = MathF.FusedMultiplyAdd(a, b[1], s1);
                s2 = MathF.FusedMultiplyAdd(a, b[2], s2);
                s3 = MathF.FusedMultiplyAdd(a, b[3], s3);
            }
            float* t = tile + r * Width;
            t[0] = s0; t[1] = s1; t[2] = s2; t[3] = s3;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void L1(float* rows, nint rowStride, float* panel, int dimension, float* tile)
    {
        for (int r = 0; r < IDistanceTileKernel.Rows; r++)
        {
            float* row = rows + r * rowStride;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int p = 0; p < dimension; p++)
            {
                float a = row[p];
                float* b = panel + p * Width;
                s0 += MathF.Abs(b[0] - a);
                s1 += MathF.Abs(b[1] - a);
                s2 += MathF.Abs(b[2] - a);
                s3 += MathF.Abs(b[3] - a);
            }
            float* t = tile + r * Width;
            t[0] = s0; t[1] = s1; t[2] = s2; t[3] = s3;
        }
    }
}
