using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Numerics;

/// <summary>Portable 4×4 tile for processors without usable vector units; same packing and arithmetic order.</summary>
internal readonly unsafe struct ScalarGemmMicroKernel : IGemmMicroKernel
{
    public static int Rows => 4;

    public static int Columns => 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(int kc, float* packedA, float* packedB, nint strideB, float* c, nint ldc, float alpha, float beta)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++)
        {
            float b0 = packedB[0], b1 = packedB[1], b2 = packedB[2], b3 = packedB[3];
            float a0 = packedA[0], a1 = packedA[1], a2 = packedA[2], a3 = packedA[3];
            c00 = MathF.FusedMultiplyAdd(a0, b0, c00); c01 = MathF.FusedMultiplyAdd(a0, b1, c01);
            c02 = MathF.FusedMultiplyAdd(a0, b2, c02); c03 = MathF.FusedMultiplyAdd(a0, b3, c03);
            c10 = MathF.FusedMultiplyAdd(a1, b0, c10); c11 = MathF.FusedMultiplyAdd(a1, b1, c11);
            c12 = MathF.FusedMultiplyAdd(a1, b2, c12); c13 = MathF.FusedMultiplyAdd(a1, b3, c13);
            c20 = MathF.FusedMultiplyAdd(a2, b0, c20); c21 = MathF.FusedMultiplyAdd(a2, b1, c21);
            c22 = MathF.FusedMultiplyAdd(a2, b2, c22); c23 = MathF.FusedMultiplyAdd(a2, b3, c23);
            c30 = MathF.FusedMultiplyAdd(a3, b0, c30); c31 = MathF.FusedMultiplyAdd(a3, b1, c31);
            c32 = MathF.FusedMultiplyAdd(a3, b2, c32); c33 = MathF.FusedMultiplyAdd(a3, b3, c33);
            packedA += 4;
            packedB += strideB;
        }
        StoreRow(c, alpha, beta, c00, c01, c02, c03);
        StoreRow(c + ldc, alpha, beta, c10, c11, c12, c13);
        StoreRow(c + 2 * ldc, alpha, beta, c20, c21, c22, c23);
        StoreRow(c + 3 * ldc, alpha, beta, c30, c31, c32, c33);
    }

    private static void StoreRow(float* c, float alpha, float beta, float v0, float v1, float v2, float v3)
    {
        c[0] = Combine(alpha, v0, beta, c[0]);
        c[1] = Combine(alpha, v1, beta, c[1]);
        c[2] = Combine(alpha, v2, beta, c[2]);
        c[3] = Combine(alpha, v3, beta, c[3]);
    }

    /// <summary>The write-out rule shared by every kernel and by partial tiles: exactly one rounding sequence.</summary>
    internal static float Combine(float alpha, float sum, float beta, float old)
        => beta == 0 ? alpha * sum : MathF.FusedMultiplyAdd(alpha, sum, beta * old);
}
