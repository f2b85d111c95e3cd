namespace Cs231n.MLNet.Numerics;

/// <summary>
/// General matrix multiplication on row-major matrices: <c>C = alpha·op(A)·op(B) + beta·C</c>, where op(A) is
/// m×k, op(B) is k×n and C is m×n. Every dense product of the trainers goes through here.
/// </summary>
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
    public static void Multiply(MatrixTranspose transA, MatrixTranspose transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => ReferenceGemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>Double-precision matrix product <c>C = alpha·op(A)·op(B) + beta·C</c>; used for gradient checks.</summary>
    /// <inheritdoc cref="Multiply(MatrixTranspose, MatrixTranspose, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    public static void Multiply(MatrixTranspose transA, MatrixTranspose transB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
        => ReferenceGemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
