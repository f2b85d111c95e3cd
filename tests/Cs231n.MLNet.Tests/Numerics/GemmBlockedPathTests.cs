using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Tests.Numerics;

/// <summary>
/// Products above the packed GEMM's sweep limit (2²⁷ multiply-adds) take the cache-blocked path that the kNN search
/// uses on full data sets. These shapes are the smallest that cross it and, between them, the row, column and depth
/// block boundaries.
/// </summary>
[TestClass]
public sealed class GemmBlockedPathTests
{
    public static IEnumerable<object[]> Shapes =>
    [
        [4200, 70, 600, false, true],  // more rows than a row block, two depth blocks: 176 M multiply-adds
        [40, 4200, 900, true, false],  // more columns than a column block, two depth blocks: 151 M multiply-adds
    ];

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void BlockedPathMatchesReferenceAndIsBitIdenticalOnOneAndTwoThreads(int m, int n, int k, bool ta, bool tb)
    {
        Assert.IsGreaterThan(1 << 27, (double)m * n * k, "the shape must be above the sweep limit");
        var random = new Random(m + n + k);
        int lda = ta ? m : k, ldb = tb ? k : n;
        float[] a = Matrix(random, m * k), b = Matrix(random, k * n);
        float[] one = new float[m * n], two = new float[m * n];
        using (new NumericsSettingsScope(threads: 1))
            Gemm.Multiply(Op(ta), Op(tb), m, n, k, 1f, a, lda, b, ldb, 0f, one, n);
        using (new NumericsSettingsScope(threads: 2))
            Gemm.Multiply(Op(ta), Op(tb), m, n, k, 1f, a, lda, b, ldb, 0f, two, n);
        for (int i = 0; i < one.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(one[i]) != BitConverter.SingleToInt32Bits(two[i]))
                Assert.Fail($"element {i}: {one[i]} on one thread, {two[i]} on two");
        }

        // Against the reference triple loop in double: a sum of k single-precision products is off by at most about
        // k·u·Σ|aᵢbᵢ|; allow twice that.
        double[] expected = new double[m * n], magnitude = new double[m * n];
        ReferenceGemm.Multiply(Op(ta), Op(tb), m, n, k, 1.0, a.Select(v => (double)v).ToArray(), lda, b.Select(v => (double)v).ToArray(), ldb, 0.0, expected, n);
        ReferenceGemm.Multiply(Op(ta), Op(tb), m, n, k, 1.0, a.Select(v => (double)Math.Abs(v)).ToArray(), lda, b.Select(v => (double)Math.Abs(v)).ToArray(), ldb, 0.0, magnitude, n);
        double unit = Math.Pow(2, -24);
        for (int i = 0; i < one.Length; i++)
        {
            double tolerance = 2 * k * unit * magnitude[i];
            if (Math.Abs(one[i] - expected[i]) > tolerance)
                Assert.Fail($"element {i} (row {i / n}, column {i % n}): {one[i]} vs reference {expected[i]}, tolerance {tolerance}");
        }
    }

    private static MatrixTranspose Op(bool transpose) => transpose ? MatrixTranspose.Transpose : MatrixTranspose.None;

    private static float[] Matrix(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
