using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Tests.Numerics;

[TestClass]
public sealed class PrepackedMatrixTests
{
    [TestMethod]
    [DataRow("Vector512")]
    [DataRow("Vector256")]
    [DataRow("Scalar")]
    public void MultiplyAddMatchesDoublePrecisionTripleLoop(string kernelName)
    {
        var kernel = Enum.Parse<SimdInstructionSet>(kernelName);
        if (!NumericsSettings.IsSupported(kernel))
            Assert.Inconclusive($"The {kernel} kernel is not supported by this processor.");
        var random = new Random(7);
        // Depths across one and two depth blocks, widths with and without a partial sliver.
        foreach (var (m, n, k) in new[] { (1, 1, 1), (5, 70, 33), (13, 64, 600), (50, 10, 1030), (7, 129, 784) })
        {
            foreach (bool transposed in new[] { false, true })
            {
                float[] a = RandomMatrix(random, m * k), b = RandomMatrix(random, k * n), bias = RandomMatrix(random, m * n);
                var packed = new PrepackedMatrix(transposed, b, transposed ? k : n, k, n, kernel);
                float[] c = (float[])bias.Clone();
                packed.MultiplyAdd(m, a, k, c, n);
                double[] expected = bias.Select(v => (double)v).ToArray();
                ReferenceGemm.Multiply(MatrixTranspose.None, transposed ? MatrixTranspose.Transpose : MatrixTranspose.None, m, n, k,
                    1.0, a.Select(v => (double)v).ToArray(), k, b.Select(v => (double)v).ToArray(), transposed ? k : n, 1.0, expected, n);
                for (int i = 0; i < c.Length; i++)
                    Assert.AreEqual(expected[i], c[i], 1e-5 * Math.Sqrt(k) + 1e-6, $"{m}×{n}×{k}, transposed {transposed}, element {i}");
            }
        }
    }

    [TestMethod]
    [DataRow("Vector512")]
    [DataRow("Vector256")]
    [DataRow("Scalar")]
    public void EachRowIsBitIdenticalWhateverTheRowCount(string kernelName)
    {
        var kernel = Enum.Parse<SimdInstructionSet>(kernelName);
        if (!NumericsSettings.IsSupported(kernel))
            Assert.Inconclusive($"The {kernel} kernel is not supported by this processor.");
        var random = new Random(9);
        int m = 23, n = 77, k = 800;
        float[] a = RandomMatrix(random, m * k), b = RandomMatrix(random, n * k);
        var packed = new PrepackedMatrix(transposed: true, b, k, k, n, kernel);
        float[] block = new float[m * n];
        packed.MultiplyAdd(m, a, k, block, n);
        for (int r = 0; r < m; r++)
        {
            float[] alone = new float[n];
            packed.MultiplyAdd(1, a.AsSpan(r * k, k), k, alone, n);
            CollectionAssert.AreEqual(block.AsSpan(r * n, n).ToArray(), alone, $"row {r}");
        }
    }

    private static float[] RandomMatrix(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
