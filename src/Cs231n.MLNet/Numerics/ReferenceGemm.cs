using System.Numerics;

namespace Cs231n.MLNet.Numerics;

/// <summary>The plain triple loop: the correctness baseline for the optimised kernels, and the double path.</summary>
internal static class ReferenceGemm
{
    internal static void Multiply<T>(MatrixTranspose transA, MatrixTranspose transB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : IFloatingPointIeee754<T>
    {
        bool ta = transA == MatrixTranspose.Transpose, tb = transB == MatrixTranspose.Transpose;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T av = ta ? a[p * lda + i] : a[i * lda + p];
                    T bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }
                ref T cij = ref c[i * ldc + j];
                cij = T.IsZero(beta) ? alpha * sum : alpha * sum + beta * cij;
            }
        }
    }
}
