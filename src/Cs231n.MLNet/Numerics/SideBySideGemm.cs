namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Two independent single-precision products run side by side, such as the weight and the input gradients of a
/// fully connected layer. Each product is cut into two halves by rows of C, and the four halves are shared among the
/// worker threads, each half running on one thread. With two cores this replaces two rounds of splitting a
/// medium-sized product over both (each with its hand-offs and its shared packed operands) by one round of
/// independent single-threaded products.
/// </summary>
/// <remarks>
/// The cut depends on the shapes only, and each half is the same product whichever thread runs it, so results are
/// identical for any thread count.
/// </remarks>
internal sealed unsafe class SideBySideGemm
{
    /// <summary>Below this many multiply-adds per product, the products run one after the other as usual.</summary>
    public const double MinimumWork = 1 << 22;

    /// <summary>Off makes every caller run its products one after the other, for benchmarks comparing the two ways.</summary>
    internal static bool Enabled = true;

    /// <summary>
    /// Whether both products are large enough to be worth running side by side. The answer depends on the shapes only,
    /// not on the thread count, so that one thread computes the same halves as many.
    /// </summary>
    public static bool Suits(int m0, int n0, int k0, int m1, int n1, int k1)
        => Enabled && m0 >= 32 && m1 >= 32
            && (double)m0 * n0 * k0 >= MinimumWork && (double)m1 * n1 * k1 >= MinimumWork;

    private readonly Product[] _products = new Product[2];
    private Action<int>? _half, _serialHalf;

    /// <summary>Sets product <paramref name="index"/> (0 or 1): <c>C = alpha·op(A)·op(B) + beta·C</c>, as <see cref="Gemm.Multiply(MatrixTranspose, MatrixTranspose, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>.</summary>
    public void Set(int index, bool ta, bool tb, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
        => _products[index] = new Product(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>Runs both products set with <see cref="Set"/>; the operands must stay pinned until it returns.</summary>
    public void Run()
    {
        _half ??= RunHalf;
        ParallelWork.For(4, _serialHalf ??= half => ParallelWork.RunSerially(_half, half));
    }

    private void RunHalf(int half)
    {
        Product p = _products[half / 2];
        // Cut at a multiple of 8 rows, so each half keeps whole register tiles wherever the kernels allow.
        int cut = (p.M / 2 + 7) / 8 * 8, r0 = half % 2 == 0 ? 0 : cut, rows = half % 2 == 0 ? cut : p.M - cut;
        if (rows <= 0)
            return;
        float* a = p.TransA ? p.A + r0 : p.A + (nint)r0 * p.Lda;
        int aLength = p.TransA ? (p.K - 1) * p.Lda + rows : (rows - 1) * p.Lda + p.K;
        int bLength = p.TransB ? (p.N - 1) * p.Ldb + p.K : (p.K - 1) * p.Ldb + p.N;
        Gemm.Multiply(p.TransA ? MatrixTranspose.Transpose : MatrixTranspose.None, p.TransB ? MatrixTranspose.Transpose : MatrixTranspose.None,
            rows, p.N, p.K, p.Alpha, new ReadOnlySpan<float>(a, aLength), p.Lda, new ReadOnlySpan<float>(p.B, bLength), p.Ldb,
            p.Beta, new Span<float>(p.C + (nint)r0 * p.Ldc, (rows - 1) * p.Ldc + p.N), p.Ldc);
    }

    private readonly struct Product(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc)
    {
        public readonly bool TransA = transA, TransB = transB;
        public readonly int M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc;
        public readonly float Alpha = alpha, Beta = beta;
        public readonly float* A = a, B = b, C = c;
    }
}
