using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// AVX2 + FMA tile of 6×16: 12 accumulators, 2 loads of B and 6 broadcasts of A per 12 fused multiply-adds,
/// fitting the 16 vector registers.
/// </summary>
internal readonly unsafe struct Vector256GemmMicroKernel : IGemmMicroKernel
{
    public static int Rows => 6;

    public static int Columns => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(int kc, float* packedA, float* packedB, nint strideB, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(packedB + 0);
            Vector256<float> b1 = Vector256.Load(packedB + 8);
            Vector256<float> a0 = Vector256.Create(packedA[0]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(packedA[1]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            Vector256<float> a2 = Vector256.Create(packedA[2]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            Vector256<float> a3 = Vector256.Create(packedA[3]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            Vector256<float> a4 = Vector256.Create(packedA[4]);
            c40 = Fma.MultiplyAdd(a4, b0, c40);
            c41 = Fma.MultiplyAdd(a4, b1, c41);
            Vector256<float> a5 = Vector256.Create(packedA[5]);
            c50 = Fma.MultiplyAdd(a5, b0, c50);
            c51 = Fma.MultiplyAdd(a5, b1, c51);
            packedA += 6;
            packedB += strideB;
        }
        Vector256<float> alphaV = Vector256.Create(alpha), betaV = Vector256.Create(beta);
        bool overwrite = beta == 0;
        StoreRow(c + 0 * ldc, alphaV, betaV, overwrite, c00, c01);
        StoreRow(c + 1 * ldc, alphaV, betaV, overwrite, c10, c11);
        StoreRow(c + 2 * ldc, alphaV, betaV, overwrite, c20, c21);
        StoreRow(c + 3 * ldc, alphaV, betaV, overwrite, c30, c31);
        StoreRow(c + 4 * ldc, alphaV, betaV, overwrite, c40, c41);
        StoreRow(c + 5 * ldc, alphaV, betaV, overwrite, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> alpha, Vector256<float> beta, bool overwrite,
        Vector256<float> v0, Vector256<float> v1)
    {
        if (overwrite)
        {
            Vector256.Store(alpha * v0, c);
            Vector256.Store(alpha * v1, c + 8);
        }
        else
        {
            Vector256.Store(Fma.MultiplyAdd(alpha, v0, beta * Vector256.Load(c)), c);
            Vector256.Store(Fma.MultiplyAdd(alpha, v1, beta * Vector256.Load(c + 8)), c + 8);
        }
    }
}
