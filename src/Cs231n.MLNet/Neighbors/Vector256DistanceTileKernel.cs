using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Neighbors;

/// <summary>AVX2 + FMA tile of 6 training rows × 16 queries: 12 accumulators.</summary>
internal readonly unsafe struct Vector256DistanceTileKernel : IDistanceTileKernel
{
    public static int Columns => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot(float* rows, nint rowStride, float* panel, int dimension, float* tile)
    {
        nint s1 = rowStride, s2 = 2 * rowStride, s3 = 3 * rowStride, s4 = 4 * rowStride, s5 = 5 * rowStride;
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        for (int p = 0; p < dimension; p++)
        {
            Vector256<float> b0 = Vector256.Load(panel + 0);
            Vector256<float> b1 = Vector256.Load(panel + 8);
            Vector256<float> a0 = Vector256.Create(rows[0]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(rows[s1]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            Vector256<float> a2 = Vector256.Create(rows[s2]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            Vector256<float> a3 = Vector256.Create(rows[s3]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            Vector256<float> a4 = Vector256.Create(rows[s4]);
            c40 = Fma.MultiplyAdd(a4, b0, c40);
            c41 = Fma.MultiplyAdd(a4, b1, c41);
            Vector256<float> a5 = Vector256.Create(rows[s5]);
            c50 = Fma.MultiplyAdd(a5, b0, c50);
            c51 = Fma.MultiplyAdd(a5, b1, c51);
            rows++;
            panel += 16;
        }
        Vector256.Store(c00, tile + 0);
        Vector256.Store(c01, tile + 8);
        Vector256.Store(c10, tile + 16);
        Vector256.Store(c11, tile + 24);
        Vector256.Store(c20, tile + 32);
        Vector256.Store(c21, tile + 40);
        Vector256.Store(c30, tile + 48);
        Vector256.Store(c31, tile + 56);
        Vector256.Store(c40, tile + 64);
        Vector256.Store(c41, tile + 72);
        Vector256.Store(c50, tile + 80);
        Vector256.Store(c51, tile + 88);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void L1(float* rows, nint rowStride, float* panel, int dimension, float* tile)
    {
        nint s1 = rowStride, s2 = 2 * rowStride, s3 = 3 * rowStride, s4 = 4 * rowStride, s5 = 5 * rowStride;
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        for (int p = 0; p < dimension; p++)
        {
            Vector256<float> b0 = Vector256.Load(panel + 0);
            Vector256<float> b1 = Vector256.Load(panel + 8);
            Vector256<float> a0 = Vector256.Create(rows[0]);
            c00 += Vector256.Abs(b0 - a0);
            c01 += Vector256.Abs(b1 - a0);
            Vector256<float> a1 = Vector256.Create(rows[s1]);
            c10 += Vector256.Abs(b0 - a1);
            c11 += Vector256.Abs(b1 - a1);
            Vector256<float> a2 = Vector256.Create(rows[s2]);
            c20 += Vector256.Abs(b0 - a2);
            c21 += Vector256.Abs(b1 - a2);
            Vector256<float> a3 = Vector256.Create(rows[s3]);
            c30 += Vector256.Abs(b0 - a3);
            c31 += Vector256.Abs(b1 - a3);
            Vector256<float> a4 = Vector256.Create(rows[s4]);
            c40 += Vector256.Abs(b0 - a4);
            c41 += Vector256.Abs(b1 - a4);
            Vector256<float> a5 = Vector256.Create(rows[s5]);
            c50 += Vector256.Abs(b0 - a5);
            c51 += Vector256.Abs(b1 - a5);
            rows++;
            panel += 16;
        }
        Vector256.Store(c00, tile + 0);
        Vector256.Store(c01, tile + 8);
        Vector256.Store(c10, tile + 16);
        Vector256.Store(c11, tile + 24);
        Vector256.Store(c20, tile + 32);
        Vector256.Store(c21, tile + 40);
        Vector256.Store(c30, tile + 48);
        Vector256.Store(c31, tile + 56);
        Vector256.Store(c40, tile + 64);
        Vector256.Store(c41, tile + 72);
        Vector256.Store(c50, tile + 80);
        Vector256.Store(c51, tile + 88);
    }
}
