using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Neighbors;

/// <summary>AVX-512 tile of 6 training rows × 64 queries: 24 accumulators, the same register plan as the GEMM kernel.</summary>
internal readonly unsafe struct Vector512DistanceTileKernel : IDistanceTileKernel
{
    public static int Columns => 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot(float* rows, nint rowStride, float* panel, int dimension, float* tile)
    {
        nint s1 = rowStride, s2 = 2 * rowStride, s3 = 3 * rowStride, s4 = 4 * rowStride, s5 = 5 * rowStride;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<float> c50 = default, c51 = default, c52 = default, c53 = default;
        for (int p = 0; p < dimension; p++)
        {
            Vector512<float> b0 = Vector512.Load(panel + 0);
            Vector512<float> b1 = Vector512.Load(panel + 16);
            Vector512<float> b2 = Vector512.Load(panel + 32);
            Vector512<float> b3 = Vector512.Load(panel + 48);
            Vector512<float> a0 = Vector512.Create(rows[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(a0, b2, c02);
            c03 = Avx512F.FusedMultiplyAdd(a0, b3, c03);
            Vector512<float> a1 = Vector512.Create(rows[s1]);
            c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(a1, b2, c12);
            c13 = Avx512F.FusedMultiplyAdd(a1, b3, c13);
            Vector512<float> a2 = Vector512.Create(rows[s2]);
            c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(a2, b2, c22);
            c23 = Avx512F.FusedMultiplyAdd(a2, b3, c23);
            Vector512<float> a3 = Vector512.Create(rows[s3]);
            c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(a3, b2, c32);
            c33 = Avx512F.FusedMultiplyAdd(a3, b3, c33);
            Vector512<float> a4 = Vector512.Create(rows[s4]);
            c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            c42 = Avx512F.FusedMultiplyAdd(a4, b2, c42);
            c43 = Avx512F.FusedMultiplyAdd(a4, b3, c43);
            Vector512<float> a5 = Vector512.Create(rows[s5]);
            c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
            c52 = Avx512F.FusedMultiplyAdd(a5, b2, c52);
            c53 = Avx512F.FusedMultiplyAdd(a5, b3, c53);
            rows++;
            panel += 64;
        }
        Vector512.Store(c00, tile + 0);
        Vector512.Store(c01, tile + 16);
        Vector512.Store(c02, tile + 32);
        Vector512.Store(c03, tile + 48);
        Vector512.Store(c10, tile + 64);
        Vector512.Store(c11, tile + 80);
        Vector512.Store(c12, tile + 96);
        Vector512.Store(c13, tile + 112);
        Vector512.Store(c20, tile + 128);
        Vector512.Store(c21, tile + 144);
        Vector512.Store(c22, tile + 160);
        Vector512.Store(c23, tile + 176);
        Vector512.Store(c30, tile + 192);
        Vector512.Store(c31, tile + 208);
        Vector512.Store(c32, tile + 224);
        Vector512.Store(c33, tile + 240);
        Vector512.Store(c40, tile + 256);
        Vector512.Store(c41, tile + 272);
        Vector512.Store(c42, tile + 288);
        Vector512.Store(c43, tile + 304);
        Vector512.Store(c50, tile + 320);
        Vector512.Store(c51, tile + 336);
        Vector512.Store(c52, tile + 352);
        Vector512.Store(c53, tile + 368);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void L1(float* rows, nint rowStride, float* panel, int dimension, float* tile)
    {
        nint s1 = rowStride, s2 = 2 * rowStride, s3 = 3 * rowStride, s4 = 4 * rowStride, s5 = 5 * rowStride;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<float> c50 = default, c51 = default, c52 = default, c53 = default;
        // Accumulating through the FMA pipes (|d|·1 + c, rounded exactly like an addition) leaves the adder pipes
        // to the subtractions.
        Vector512<float> one = Vector512<float>.One;
        for (int p = 0; p < dimension; p++)
        {
            Vector512<float> b0 = Vector512.Load(panel + 0);
            Vector512<float> b1 = Vector512.Load(panel + 16);
            Vector512<float> b2 = Vector512.Load(panel + 32);
            Vector512<float> b3 = Vector512.Load(panel + 48);
            Vector512<float> a0 = Vector512.Create(rows[0]);
            c00 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b0 - a0), one, c00);
            c01 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b1 - a0), one, c01);
            c02 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b2 - a0), one, c02);
            c03 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b3 - a0), one, c03);
            Vector512<float> a1 = Vector512.Create(rows[s1]);
            c10 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b0 - a1), one, c10);
            c11 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b1 - a1), one, c11);
            c12 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b2 - a1), one, c12);
            c13 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b3 - a1), one, c13);
            Vector512<float> a2 = Vector512.Create(rows[s2]);
            c20 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b0 - a2), one, c20);
            c21 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b1 - a2), one, c21);
            c22 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b2 - a2), one, c22);
            c23 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b3 - a2), one, c23);
            Vector512<float> a3 = Vector512.Create(rows[s3]);
            c30 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b0 - a3), one, c30);
            c31 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b1 - a3), one, c31);
            c32 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b2 - a3), one, c32);
            c33 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b3 - a3), one, c33);
            Vector512<float> a4 = Vector512.Create(rows[s4]);
            c40 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b0 - a4), one, c40);
            c41 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b1 - a4), one, c41);
            c42 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b2 - a4), one, c42);
            c43 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b3 - a4), one, c43);
            Vector512<float> a5 = Vector512.Create(rows[s5]);
            c50 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b0 - a5), one, c50);
            c51 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b1 - a5), one, c51);
            c52 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b2 - a5), one, c52);
            c53 = Avx512F.FusedMultiplyAdd(Vector512.Abs(b3 - a5), one, c53);
            rows++;
            panel += 64;
        }
        Vector512.Store(c00, tile + 0);
        Vector512.Store(c01, tile + 16);
        Vector512.Store(c02, tile + 32);
        Vector512.Store(c03, tile + 48);
        Vector512.Store(c10, tile + 64);
        Vector512.Store(c11, tile + 80);
        Vector512.Store(c12, tile + 96);
        Vector512.Store(c13, tile + 112);
        Vector512.Store(c20, tile + 128);
        Vector512.Store(c21, tile + 144);
        Vector512.Store(c22, tile + 160);
        Vector512.Store(c23, tile + 176);
        Vector512.Store(c30, tile + 192);
        Vector512.Store(c31, tile + 208);
        Vector512.Store(c32, tile + 224);
        Vector512.Store(c33, tile + 240);
        Vector512.Store(c40, tile + 256);
        Vector512.Store(c41, tile + 272);
        Vector512.Store(c42, tile + 288);
        Vector512.Store(c43, tile + 304);
        Vector512.Store(c50, tile + 320);
        Vector512.Store(c51, tile + 336);
        Vector512.Store(c52, tile + 352);
        Vector512.Store(c53, tile + 368);
    }
}
