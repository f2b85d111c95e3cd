using System.Buffers;
using System.Numerics;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Double-precision product for gradient checks: op(A) and op(B)ᵀ are copied into contiguous rows so that every
/// element is one vectorised dot product. Simple, single-threaded, fine for the shapes of a gradient check.
/// </summary>
internal static class DoubleGemm
{
    public static void Multiply(bool ta, bool tb, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        double[] rowsA = ArrayPool<double>.Shared.Rent(m * k);
        double[] columnsB = ArrayPool<double>.Shared.Rent(n * k);
        try
        {
            for (int i = 0; i < m; i++)
            {
                for (int p = 0; p < k; p++)
                    rowsA[i * k + p] = ta ? a[p * lda + i] : a[i * lda + p];
            }
            for (int j = 0; j < n; j++)
            {
                for (int p = 0; p < k; p++)
                    columnsB[j * k + p] = tb ? b[j * ldb + p] : b[p * ldb + j];
            }
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<double> x = rowsA.AsSpan(i * k, k);
                for (int j = 0; j < n; j++)
                {
                    double sum = Dot(x, columnsB.AsSpan(j * k, k));
                    ref double cij = ref c[i * ldc + j];
                    cij = beta == 0 ? alpha * sum : alpha * sum + beta * cij;
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rowsA);
            ArrayPool<double>.Shared.Return(columnsB);
        }
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length, i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<double>.Count;
            Vector<double> s = Vector<double>.Zero;
            for (; i + w <= n; i += w)
                s = Vector.FusedMultiplyAdd(new Vector<double>(x.Slice(i)), new Vector<double>(y.Slice(i)), s);
            sum = Vector.Sum(s);
        }
        for (; i < n; i++)
            sum += x[i] * y[i];
        return sum;
    }
}
