using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// General matrix multiplication on row-major matrices: <c>C = alpha·op(A)·op(B) + beta·C</c>, where op(A) is
/// m×k, op(B) is k×n and C is m×n. Every dense product of the trainers goes through here.
/// </summary>
/// <remarks>
/// The single-precision product runs cache-blocked, packed SIMD kernels (AVX-512 or AVX2/FMA, scalar elsewhere) on
/// all cores. Each element of C is computed by the same sequence of operations whatever the number of threads, so
/// results are reproducible bit for bit on a given processor.
/// </remarks>
public static class Gemm
{
    /// <summary>Single-precision matrix product <c>C = alpha·op(A)·op(B) + beta·C</c>.</summary>
    /// <param name="transA">Whether A is used transposed (then A is stored k×m).</param>
    /// <param name="transB">Whether B is used transposed (then B is stored n×k).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, row-major with leading dimension <paramref name="lda"/>.</param>
    /// <param name="lda">Distance between the starts of consecutive stored rows of A.</param>
    /// <param name="b">B, row-major with leading dimension <paramref name="ldb"/>.</param>
    /// <param name="ldb">Distance between the starts of consecutive stored rows of B.</param>
    /// <param name="beta">Scale of the existing C; when 0, C is overwritten (NaN in C is not propagated).</param>
    /// <param name="c">C, row-major with leading dimension <paramref name="ldc"/>.</param>
    /// <param name="ldc">Distance between the starts of consecutive rows of C.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Multiply(MatrixTranspose transA, MatrixTranspose transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        bool ta = transA == MatrixTranspose.Transpose, tb = transB == MatrixTranspose.Transpose;
        Validate(ta, tb, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            ScaleOnly(m, n, beta, c, ldc);
            return;
        }
        if (NumericsSettings.UseSmallShapePath && SmallGemm.Suits(m, n, k))
        {
            SmallGemm.Multiply(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (NumericsSettings.UseSmallShapePath && ThinGemm.Suits(NumericsSettings.InstructionSet, ta, m, n, k))
                ThinGemm.Multiply(NumericsSettings.InstructionSet, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            else
                PackedGemm.Multiply(NumericsSettings.InstructionSet, ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    /// <summary>Double-precision matrix product <c>C = alpha·op(A)·op(B) + beta·C</c>; used for gradient checks.</summary>
    /// <inheritdoc cref="Multiply(MatrixTranspose, MatrixTranspose, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    public static void Multiply(MatrixTranspose transA, MatrixTranspose transB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        bool ta = transA == MatrixTranspose.Transpose, tb = transB == MatrixTranspose.Transpose;
        Validate(ta, tb, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
            return;
        DoubleGemm.Multiply(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static void ScaleOnly(int m, int n, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            for (int j = 0; j < n; j++)
                row[j] = beta == 0 ? 0f : beta * row[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Validate(bool ta, bool tb, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0)
            throw new ArgumentOutOfRangeException(nameof(m), m, "The row count 'm' must not be negative.");
        if (n < 0)
            throw new ArgumentOutOfRangeException(nameof(n), n, "The column count 'n' must not be negative.");
        if (k < 0)
            throw new ArgumentOutOfRangeException(nameof(k), k, "The inner dimension 'k' must not be negative.");
        CheckOperand("a", "lda", ta ? k : m, ta ? m : k, aLength, lda);
        CheckOperand("b", "ldb", tb ? n : k, tb ? k : n, bLength, ldb);
        CheckOperand("c", "ldc", m, n, cLength, ldc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CheckOperand(string name, string leadingName, int storedRows, int storedColumns, int length, int leading)
    {
        if (storedRows == 0 || storedColumns == 0)
            return;
        if (leading < storedColumns)
            throw new ArgumentOutOfRangeException(leadingName, leading,
                $"The leading dimension '{leadingName}' must be at least the {storedColumns} stored columns of '{name}'; got {leading}.");
        long needed = (long)(storedRows - 1) * leading + storedColumns;
        if (length < needed)
            throw new ArgumentException(
                $"Matrix '{name}' is stored as {storedRows}×{storedColumns} with leading dimension {leading}, which needs at least {needed} values; got {length}.",
                name);
    }
}
