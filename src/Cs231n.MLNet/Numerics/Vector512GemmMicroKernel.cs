using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// AVX-512 tile of 6×64: 24 accumulator registers, 4 loads of B and 6 broadcasts of A per 24 fused multiply-adds,
/// which leaves the two FMA pipes as the bottleneck.
/// </summary>
internal readonly unsafe struct Vector512GemmMicroKernel : IGemmMicroKernel
{
    public static int Rows => 6;

    public static int Columns => 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(int kc, float* packedA, float* packedB, nint strideB, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<float> c50 = default, c51 = default, c52 = default, c53 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(packedB + 0);
            Vector512<float> b1 = Vector512.Load(packedB + 16);
            Vector512<float> b2 = Vector512.Load(packedB + 32);
            Vector512<float> b3 = Vector512.Load(packedB + 48);
            Vector512<float> a0 = Vector512.Create(packedA[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(a0, b2, c02);
            c03 = Avx512F.FusedMultiplyAdd(a0, b3, c03);
            Vector512<float> a1 = Vector512.Create(packedA[1]);
            c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(a1, b2, c12);
            c13 = Avx512F.FusedMultiplyAdd(a1, b3, c13);
            Vector512<float> a2 = Vector512.Create(packedA[2]);
            c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(a2, b2, c22);
            c23 = Avx512F.FusedMultiplyAdd(a2, b3, c23);
            Vector512<float> a3 = Vector512.Create(packedA[3]);
            c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(a3, b2, c32);
            c33 = Avx512F.FusedMultiplyAdd(a3, b3, c33);
            Vector512<float> a4 = Vector512.Create(packedA[4]);
            c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            c42 = Avx512F.FusedMultiplyAdd(a4, b2, c42);
            c43 = Avx512F.FusedMultiplyAdd(a4, b3, c43);
            Vector512<float> a5 = Vector512.Create(packedA[5]);
            c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
            c52 = Avx512F.FusedMultiplyAdd(a5, b2, c52);
            c53 = Avx512F.FusedMultiplyAdd(a5, b3, c53);
            packedA += 6;
            packedB += strideB;
        }
        Vector512<float> alphaV = Vector512.Create(alpha), betaV = Vector512.Create(beta);
        bool overwrite = beta == 0;
        StoreRow(c + 0 * ldc, alphaV, betaV, overwrite, c00, c01, c02, c03);
        StoreRow(c + 1 * ldc, alphaV, betaV, overwrite, c10, c11, c12, c13);
        StoreRow(c + 2 * ldc, alphaV, betaV, overwrite, c20, c21, c22, c23);
        StoreRow(c + 3 * ldc, alphaV, betaV, overwrite, c30, c31, c32, c33);
        StoreRow(c + 4 * ldc, alphaV, betaV, overwrite, c40, c41, c42, c43);
        StoreRow(c + 5 * ldc, alphaV, betaV, overwrite, c50, c51, c52, c53);
    }

    /// <summary>
    /// C = A·B on the 6×64 tile with A read in place rather than packed: element (r, p) of A is at
    /// <c>a + r·rowStride + p·depthStride</c>, so a row-major operand (depth stride 1) or a transposed one (row stride 1)
    /// is used as it lies. Worth it where each sliver of A meets only one or two tiles of B (the Winograd products,
    /// with depth 32 to 64 and 64 columns), so a packed copy would cost about as much as the product. C is overwritten
    /// when <paramref name="beta"/> is 0 and added to when it is 1; the per-element order of fused multiply-adds is that
    /// of <see cref="Multiply"/>, so the results are the same bits.
    /// </summary>
    // The same 24 accumulators as Multiply, written out again: a shared inlined body is not inlined by the JIT (too
    // large), and a called one would cost the packed path its constant offsets.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyStrided(int kc, float* a, nint rowStride, nint depthStride, float* b, nint strideB, float* c, nint ldc, float beta)
    {
        // Row r is read at a + r·rowStride: one moving pointer and five fixed offsets, so every broadcast is one
        // addressing mode and no register is spilled.
        nint o1 = rowStride, o2 = 2 * rowStride, o3 = 3 * rowStride, o4 = 4 * rowStride, o5 = 5 * rowStride;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<float> c50 = default, c51 = default, c52 = default, c53 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b + 0);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> b2 = Vector512.Load(b + 32);
            Vector512<float> b3 = Vector512.Load(b + 48);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(a0, b2, c02);
            c03 = Avx512F.FusedMultiplyAdd(a0, b3, c03);
            Vector512<float> a1 = Vector512.Create(a[o1]);
            c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(a1, b2, c12);
            c13 = Avx512F.FusedMultiplyAdd(a1, b3, c13);
            Vector512<float> a2 = Vector512.Create(a[o2]);
            c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(a2, b2, c22);
            c23 = Avx512F.FusedMultiplyAdd(a2, b3, c23);
            Vector512<float> a3 = Vector512.Create(a[o3]);
            c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(a3, b2, c32);
            c33 = Avx512F.FusedMultiplyAdd(a3, b3, c33);
            Vector512<float> a4 = Vector512.Create(a[o4]);
            c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            c42 = Avx512F.FusedMultiplyAdd(a4, b2, c42);
            c43 = Avx512F.FusedMultiplyAdd(a4, b3, c43);
            Vector512<float> a5 = Vector512.Create(a[o5]);
            c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
            c52 = Avx512F.FusedMultiplyAdd(a5, b2, c52);
            c53 = Avx512F.FusedMultiplyAdd(a5, b3, c53);
            a += depthStride;
            b += strideB;
        }
        Vector512<float> one = Vector512<float>.One, betaV = Vector512.Create(beta);
        bool overwrite = beta == 0;
        StoreRow(c + 0 * ldc, one, betaV, overwrite, c00, c01, c02, c03);
        StoreRow(c + 1 * ldc, one, betaV, overwrite, c10, c11, c12, c13);
        StoreRow(c + 2 * ldc, one, betaV, overwrite, c20, c21, c22, c23);
        StoreRow(c + 3 * ldc, one, betaV, overwrite, c30, c31, c32, c33);
        StoreRow(c + 4 * ldc, one, betaV, overwrite, c40, c41, c42, c43);
        StoreRow(c + 5 * ldc, one, betaV, overwrite, c50, c51, c52, c53);
    }

    /// <summary>Rows of the narrow tile (<see cref="MultiplyNarrowStrided"/>).</summary>
    public static int NarrowRows => 12;

    /// <summary>Columns of the narrow tile.</summary>
    public static int NarrowColumns => 32;

    /// <summary>
    /// C = A·B on a 12×32 tile, overwriting C, with A read in place as in <see cref="MultiplyStrided"/>: the same 24
    /// accumulators and per-element order of fused multiply-adds as <see cref="Multiply"/>, for products only 32 columns
    /// wide, where the 6×64 tile would compute half its columns for nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyNarrowStrided(int kc, float* a, nint rowStride, nint depthStride, float* b, nint strideB, float* c, nint ldc)
    {
        // Rows 0–5 from a moving pointer and rows 6–11 from a second one six rows on, with the same five offsets.
        nint o1 = rowStride, o2 = 2 * rowStride, o3 = 3 * rowStride, o4 = 4 * rowStride, o5 = 5 * rowStride;
        float* bottom = a + 6 * rowStride;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> x = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[o1]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[o2]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[o3]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[o4]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[o5]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(bottom[0]);
            c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(bottom[o1]);
            c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(bottom[o2]);
            c80 = Avx512F.FusedMultiplyAdd(x, b0, c80); c81 = Avx512F.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(bottom[o3]);
            c90 = Avx512F.FusedMultiplyAdd(x, b0, c90); c91 = Avx512F.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(bottom[o4]);
            ca0 = Avx512F.FusedMultiplyAdd(x, b0, ca0); ca1 = Avx512F.FusedMultiplyAdd(x, b1, ca1);
            x = Vector512.Create(bottom[o5]);
            cb0 = Avx512F.FusedMultiplyAdd(x, b0, cb0); cb1 = Avx512F.FusedMultiplyAdd(x, b1, cb1);
            a += depthStride;
            bottom += depthStride;
            b += strideB;
        }
        c00.Store(c); c01.Store(c + 16); c += ldc;
        c10.Store(c); c11.Store(c + 16); c += ldc;
        c20.Store(c); c21.Store(c + 16); c += ldc;
        c30.Store(c); c31.Store(c + 16); c += ldc;
        c40.Store(c); c41.Store(c + 16); c += ldc;
        c50.Store(c); c51.Store(c + 16); c += ldc;
        c60.Store(c); c61.Store(c + 16); c += ldc;
        c70.Store(c); c71.Store(c + 16); c += ldc;
        c80.Store(c); c81.Store(c + 16); c += ldc;
        c90.Store(c); c91.Store(c + 16); c += ldc;
        ca0.Store(c); ca1.Store(c + 16); c += ldc;
        cb0.Store(c); cb1.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector512<float> alpha, Vector512<float> beta, bool overwrite,
        Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        if (overwrite)
        {
            Vector512.Store(alpha * v0, c);
            Vector512.Store(alpha * v1, c + 16);
            Vector512.Store(alpha * v2, c + 32);
            Vector512.Store(alpha * v3, c + 48);
        }
        else
        {
            Vector512.Store(Avx512F.FusedMultiplyAdd(alpha, v0, beta * Vector512.Load(c)), c);
            Vector512.Store(Avx512F.FusedMultiplyAdd(alpha, v1, beta * Vector512.Load(c + 16)), c + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(alpha, v2, beta * Vector512.Load(c + 32)), c + 32);
            Vector512.Store(Avx512F.FusedMultiplyAdd(alpha, v3, beta * Vector512.Load(c + 48)), c + 48);
        }
    }
}
