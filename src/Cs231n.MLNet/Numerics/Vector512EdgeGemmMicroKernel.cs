using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// The AVX-512 kernel for the last, partial column sliver of a product: 12 rows (two packed A slivers) by one vector of
/// 16 columns. When n is not a multiple of 64 (784 pixels leave 16), the 6×64 tile would compute up to 48 padding columns
/// for every 6 rows; this kernel computes only the vectors that hold columns of C, with 12 independent accumulators so
/// the fused multiply-adds still overlap.
/// </summary>
/// <remarks>
/// Each element is the same fused multiply-add chain over p, from zero, followed by the same write-out
/// (<see cref="ScalarGemmMicroKernel.Combine"/>), as in <see cref="Vector512GemmMicroKernel.Multiply"/>: which kernel
/// computes an element does not change its value.
/// </remarks>
internal static unsafe class Vector512EdgeGemmMicroKernel
{
    /// <summary>Rows computed per call: two slivers of <see cref="Vector512GemmMicroKernel.Rows"/>.</summary>
    public const int Rows = 12;

    /// <summary>Columns computed per call: one vector.</summary>
    public const int Columns = 16;

    /// <summary>
    /// <c>C = alpha·Σ + beta·C</c> for the first <paramref name="rows"/> (at most 12) rows and <paramref name="cols"/>
    /// (at most 16) columns of a 12×16 tile. <paramref name="packedTop"/> and <paramref name="packedBottom"/> are the
    /// two A slivers (rows 0–5 and 6–11; pass the top twice when there is no bottom); <paramref name="packedB"/> is the
    /// start of the 16 columns within a B sliver whose rows are <paramref name="strideB"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(int kc, float* packedTop, float* packedBottom, float* packedB, nint strideB,
        float* c, nint ldc, int rows, int cols, float alpha, float beta)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b = Vector512.Load(packedB);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(packedTop[0]), b, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(packedTop[1]), b, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(packedTop[2]), b, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(packedTop[3]), b, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(packedTop[4]), b, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(packedTop[5]), b, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(packedBottom[0]), b, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(packedBottom[1]), b, c7);
            c8 = Avx512F.FusedMultiplyAdd(Vector512.Create(packedBottom[2]), b, c8);
            c9 = Avx512F.FusedMultiplyAdd(Vector512.Create(packedBottom[3]), b, c9);
            c10 = Avx512F.FusedMultiplyAdd(Vector512.Create(packedBottom[4]), b, c10);
            c11 = Avx512F.FusedMultiplyAdd(Vector512.Create(packedBottom[5]), b, c11);
            packedTop += 6;
            packedBottom += 6;
            packedB += strideB;
        }
        Vector512<float>* sums = stackalloc Vector512<float>[Rows];
        sums[0] = c0; sums[1] = c1; sums[2] = c2; sums[3] = c3; sums[4] = c4; sums[5] = c5;
        sums[6] = c6; sums[7] = c7; sums[8] = c8; sums[9] = c9; sums[10] = c10; sums[11] = c11;
        Vector512<float> alphaV = Vector512.Create(alpha), betaV = Vector512.Create(beta);
        for (int r = 0; r < rows; r++, c += ldc)
        {
            if (cols == Columns)
            {
                Vector512.Store(beta == 0 ? alphaV * sums[r] : Avx512F.FusedMultiplyAdd(alphaV, sums[r], betaV * Vector512.Load(c)), c);
                continue;
            }
            float* row = (float*)(sums + r);
            for (int q = 0; q < cols; q++)
                c[q] = ScalarGemmMicroKernel.Combine(alpha, row[q], beta, c[q]);
        }
    }
}
