using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Tests.Numerics;

[TestClass]
public sealed class GemmTests
{
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 65, 33), (7, 1, 17), (7, 7, 7), (17, 33, 65), (33, 17, 7), (65, 65, 1),
        (6, 64, 256), (13, 70, 300), (97, 130, 515), (12, 128, 257), (150, 10, 100),
    ];

    private static readonly (float Alpha, float Beta)[] Scalings = [(1f, 0f), (0.5f, 2f), (-1.5f, 1f)];

    [TestMethod]
    [DataRow("Vector512")]
    [DataRow("Vector256")]
    [DataRow("Scalar")]
    public void PackedKernelMatchesDoublePrecisionTripleLoop(string kernel)
    {
        using var scope = new NumericsSettingsScope(Enum.Parse<SimdInstructionSet>(kernel), smallShapePath: false);
        CheckAllShapes(seed: kernel.Length);
    }

    [TestMethod]
    public void SmallShapePathMatchesDoublePrecisionTripleLoop()
    {
        using var scope = new NumericsSettingsScope(smallShapePath: true);
        CheckAllShapes(seed: 11);
    }

    [TestMethod]
    [DataRow("Vector512")]
    [DataRow("Vector256")]
    [DataRow("Scalar")]
    public void ShapesCrossingRowAndColumnBlocksAreCorrect(string kernel)
    {
        using var scope = new NumericsSettingsScope(Enum.Parse<SimdInstructionSet>(kernel), smallShapePath: false);
        var random = new Random(5);
        CheckProduct(random, false, false, 4103, 9, 20, 1f, 0f);
        CheckProduct(random, true, true, 5, 4201, 30, 1f, 1f);
    }

    [TestMethod]
    [DataRow("Vector512")]
    [DataRow("Vector256")]
    [DataRow("Scalar")]
    public void ThinPathMatchesDoublePrecisionTripleLoop(string kernel)
    {
        if (!NumericsSettings.IsSupported(Enum.Parse<SimdInstructionSet>(kernel)))
            Assert.Inconclusive($"This processor has no {kernel} kernel.");
        using var scope = new NumericsSettingsScope(Enum.Parse<SimdInstructionSet>(kernel), smallShapePath: true);
        var random = new Random(13);
        foreach (var (m, n, k) in new[] { (700, 10, 100), (301, 3, 257), (1001, 16, 70), (257, 7, 784), (5, 9, 40), (128, 10, 256), (6, 13, 17), (61, 5, 100), (131, 15, 33), (7, 10, 48) })
        {
            foreach (bool tb in new[] { false, true })
            {
                foreach (var (alpha, beta) in Scalings)
                    CheckProduct(random, false, tb, m, n, k, alpha, beta);
            }
        }
    }

    [TestMethod]
    public void ThinPathIsBitIdenticalForOneAndAllThreads() => AssertSameForOneAndTwoThreads(false, true, 3001, 10, 784, seed: 4);

    [TestMethod]
    public void SmallThinProductIsBitIdenticalForOneAndAllThreads() => AssertSameForOneAndTwoThreads(false, false, 300, 10, 263, seed: 6);

    [TestMethod]
    public void ResultIsBitIdenticalForOneAndAllThreads() => AssertSameForOneAndTwoThreads(true, true, 301, 523, 700, seed: 3);

    private static void AssertSameForOneAndTwoThreads(bool ta, bool tb, int m, int n, int k, int seed)
    {
        var random = new Random(seed);
        float[] a = RandomMatrix(random, k * m), b = RandomMatrix(random, n * k);
        float[] single = new float[m * n], all = new float[m * n];
        using (new NumericsSettingsScope(threads: 1))
            Gemm.Multiply(Op(ta), Op(tb), m, n, k, 0.7f, a, ta ? m : k, b, tb ? k : n, 0f, single, n);
        using (new NumericsSettingsScope(threads: 2))
            Gemm.Multiply(Op(ta), Op(tb), m, n, k, 0.7f, a, ta ? m : k, b, tb ? k : n, 0f, all, n);
        CollectionAssert.AreEqual(single, all);
    }

    [TestMethod]
    public void DoubleOverloadMatchesTripleLoop()
    {
        var random = new Random(8);
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                int m = 37, n = 29, k = 103;
                double[] a = Enumerable.Range(0, m * k).Select(_ => random.NextDouble() - 0.5).ToArray();
                double[] b = Enumerable.Range(0, n * k).Select(_ => random.NextDouble() - 0.5).ToArray();
                double[] c = Enumerable.Range(0, m * n).Select(_ => random.NextDouble()).ToArray();
                double[] expected = (double[])c.Clone();
                ReferenceGemm.Multiply(Op(ta), Op(tb), m, n, k, 1.25, a, ta ? m : k, b, tb ? k : n, -0.5, expected, n);
                Gemm.Multiply(Op(ta), Op(tb), m, n, k, 1.25, a, ta ? m : k, b, tb ? k : n, -0.5, c, n);
                for (int i = 0; i < c.Length; i++)
                    Assert.AreEqual(expected[i], c[i], 1e-12, $"element {i}, transA={ta}, transB={tb}");
            }
        }
    }

    [TestMethod]
    public void ZeroDepthScalesC()
    {
        float[] c = [1f, float.NaN, 3f, 4f];
        Gemm.Multiply(MatrixTranspose.None, MatrixTranspose.None, 2, 2, 0, 1f, [], 1, [], 2, 0f, c, 2);
        CollectionAssert.AreEqual(new float[4], c);
        float[] d = [1f, 2f, 3f, 4f];
        Gemm.Multiply(MatrixTranspose.None, MatrixTranspose.None, 2, 2, 0, 1f, [], 1, [], 2, 2f, d, 2);
        CollectionAssert.AreEqual(new[] { 2f, 4f, 6f, 8f }, d);
    }

    [TestMethod]
    public void TooShortOperandIsRejectedWithItsName()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            Gemm.Multiply(MatrixTranspose.None, MatrixTranspose.None, 4, 4, 4, 1f, new float[15], 4, new float[16], 4, 0f, new float[16], 4));
        Assert.AreEqual("a", error.ParamName);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(MatrixTranspose.None, MatrixTranspose.None, 4, 4, 4, 1f, new float[16], 3, new float[16], 4, 0f, new float[16], 4));
    }

    private static void CheckAllShapes(int seed)
    {
        var random = new Random(seed);
        foreach (var (m, n, k) in Shapes)
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    foreach (var (alpha, beta) in Scalings)
                        CheckProduct(random, ta, tb, m, n, k, alpha, beta);
                }
            }
        }
    }

    /// <summary>
    /// One product with padded leading dimensions against the double-precision triple loop. A sum of k products
    /// in single precision is off by at most about k·u·Σ|aᵢbᵢ|; the tolerance allows twice that.
    /// </summary>
    private static void CheckProduct(Random random, bool ta, bool tb, int m, int n, int k, float alpha, float beta)
    {
        int aRows = ta ? k : m, aColumns = ta ? m : k, bRows = tb ? n : k, bColumns = tb ? k : n;
        int lda = aColumns + 3, ldb = bColumns + 1, ldc = n + 2;
        float[] a = RandomMatrix(random, aRows * lda), b = RandomMatrix(random, bRows * ldb);
        float[] c = RandomMatrix(random, m * ldc);
        if (beta == 0)
            Array.Fill(c, float.NaN); // Garbage that must not leak into the result.
        float[] original = (float[])c.Clone();
        Gemm.Multiply(Op(ta), Op(tb), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        string context = $"m={m} n={n} k={k} transA={ta} transB={tb} alpha={alpha} beta={beta}";
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                if (j >= n)
                {
                    Assert.AreEqual(original[i * ldc + j], c[i * ldc + j], $"padding of C changed, {context}");
                    continue;
                }
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double product = (double)(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                double old = original[i * ldc + j];
                double expected = beta == 0 ? alpha * sum : alpha * sum + beta * old;
                double tolerance = 2 * (k + 2) * Math.Pow(2, -24) * (Math.Abs(alpha) * magnitude + (beta == 0 ? 0 : Math.Abs(beta * old))) + 1e-30;
                Assert.AreEqual(expected, c[i * ldc + j], tolerance, $"C[{i},{j}], {context}");
            }
        }
    }

    private static MatrixTranspose Op(bool transposed) => transposed ? MatrixTranspose.Transpose : MatrixTranspose.None;

    private static float[] RandomMatrix(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
