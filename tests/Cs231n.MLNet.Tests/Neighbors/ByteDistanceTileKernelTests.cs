using Cs231n.MLNet.Neighbors;

namespace Cs231n.MLNet.Tests.Neighbors;

/// <summary>
/// Every integer tile (AVX-512BW, AVX2, portable) gives exactly the dot products and L1 sums written out plainly,
/// on rows with zero backgrounds (the coordinates the tiles skip), ragged dimensions and extreme bytes.
/// </summary>
[TestClass]
public sealed unsafe class ByteDistanceTileKernelTests
{
    [TestMethod]
    [DataRow("Vector512")]
    [DataRow("Vector256")]
    [DataRow("Scalar")]
    public void TilesEqualThePlainSums(string kernel)
    {
        switch (kernel)
        {
            case "Vector512" when !Vector512ByteTileKernel.IsSupported:
            case "Vector256" when !Vector256ByteTileKernel.IsSupported:
                Assert.Inconclusive($"The {kernel} integer tile is not supported by this processor.");
                break;
        }
        var random = new Random(kernel.Length);
        foreach (int dimension in new[] { 8, 37, 64, 784, 1000 })
        {
            foreach (bool sparse in new[] { false, true })
            {
                switch (kernel)
                {
                    case "Vector512":
                        Check<Vector512ByteTileKernel>(random, dimension, sparse);
                        break;
                    case "Vector256":
                        Check<Vector256ByteTileKernel>(random, dimension, sparse);
                        break;
                    default:
                        Check<ScalarByteTileKernel>(random, dimension, sparse);
                        break;
                }
            }
        }
    }

    private static void Check<TKernel>(Random random, int dimension, bool sparse) where TKernel : IByteDistanceTileKernel
    {
        const int rows = IByteDistanceTileKernel.Rows;
        int stride = (dimension + 7) / 8 * 8;
        var rowBytes = new byte[rows * stride];
        for (int r = 0; r < rows; r++)
        {
            // Sparse rows: a shared zero background with an object in the middle, and 255s to test the extremes.
            for (int p = 0; p < dimension; p++)
            {
                bool background = sparse && (p < dimension / 3 || p > dimension * 3 / 4 || random.Next(4) == 0);
                rowBytes[r * stride + p] = background ? (byte)0 : random.Next(5) == 0 ? (byte)255 : (byte)random.Next(256);
            }
        }
        foreach (bool l1 in new[] { false, true })
        {
            int width = l1 ? TKernel.L1Columns : TKernel.DotColumns;
            var queries = new byte[width, stride];
            for (int j = 0; j < width; j++)
            {
                for (int p = 0; p < dimension; p++)
                    queries[j, p] = random.Next(5) == 0 ? (byte)255 : (byte)random.Next(256);
            }
            var tile = new int[rows * width];
            var units = new int[stride / 2];
            fixed (byte* rowData = rowBytes)
            fixed (int* tileData = tile)
            fixed (int* unitData = units)
            {
                if (l1)
                {
                    var panel = new byte[stride * width];
                    for (int j = 0; j < width; j++)
                    {
                        for (int p = 0; p < stride; p++)
                            panel[(p / 8) * width * 8 + j * 8 + (p & 7)] = queries[j, p];
                    }
                    int active = ByteRowGroups.SplitGroupsOfEight(rowData, stride, unitData, out int zero);
                    Assert.AreEqual(stride / 8, active + zero);
                    fixed (byte* panelData = panel)
                        Assert.IsTrue(TKernel.L1(rowData, stride, panelData, unitData, active, zero, default, tileData));
                }
                else
                {
                    var widened = rowBytes.Select(b => (short)b).ToArray();
                    var panel = new short[stride * width];
                    for (int j = 0; j < width; j++)
                    {
                        for (int p = 0; p < stride; p++)
                            panel[(p / 2) * width * 2 + j * 2 + (p & 1)] = queries[j, p];
                    }
                    fixed (short* widenedData = widened)
                    fixed (short* panelData = panel)
                    {
                        int active = ByteRowGroups.ActivePairs(widenedData, stride, unitData);
                        if (sparse)
                            Assert.IsLessThan(stride / 2, active, "a zero background leaves pairs to skip");
                        Assert.IsTrue(TKernel.Dot(widenedData, stride, panelData, unitData, active, default, tileData));
                    }
                }
            }
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < width; j++)
                {
                    int expected = 0;
                    for (int p = 0; p < dimension; p++)
                    {
                        int x = queries[j, p], y = rowBytes[r * stride + p];
                        expected += l1 ? Math.Abs(x - y) : x * y;
                    }
                    Assert.AreEqual(expected, tile[r * width + j], $"{typeof(TKernel).Name} {(l1 ? "L1" : "dot")}, d={dimension}, sparse={sparse}, row {r}, query {j}");
                }
            }
        }
    }
}
