using Cs231n.MLNet.Neighbors;

namespace Cs231n.MLNet.Tests.Neighbors;

/// <summary>
/// Every integer tile (AVX-512BW, AVX2, portable) gives exactly the dot products and L1 sums written out plainly,
/// on rows with zero backgrounds (the coordinates the tiles skip), ragged dimensions and extreme bytes; and stops
/// early exactly when, at some checkpoint, every partial distance of the tile has reached its query's limit.
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
            int active = 0, zero = 0;
            object panel;
            fixed (byte* rowData = rowBytes)
            fixed (int* tileData = tile)
            fixed (int* unitData = units)
            {
                if (l1)
                {
                    var bytePanel = new byte[stride * width];
                    for (int j = 0; j < width; j++)
                    {
                        for (int p = 0; p < stride; p++)
                            bytePanel[(p / 8) * width * 8 + j * 8 + (p & 7)] = queries[j, p];
                    }
                    active = ByteRowGroups.SplitGroupsOfEight(rowData, stride, unitData, out zero);
                    Assert.AreEqual(stride / 8, active + zero);
                    panel = bytePanel;
                }
                else
                {
                    var shortPanel = new short[stride * width];
                    for (int j = 0; j < width; j++)
                    {
                        for (int p = 0; p < stride; p++)
                            shortPanel[(p / 2) * width * 2 + j * 2 + (p & 1)] = queries[j, p];
                    }
                    fixed (short* widenedData = rowBytes.Select(b => (short)b).ToArray())
                        active = ByteRowGroups.ActivePairs(widenedData, stride, unitData);
                    if (sparse)
                        Assert.IsLessThan(stride / 2, active, "a zero background leaves pairs to skip");
                    panel = shortPanel;
                }
            }
            string context = $"{typeof(TKernel).Name} {(l1 ? "L1" : "dot")}, d={dimension}, sparse={sparse}";
            Assert.IsTrue(Run<TKernel>(l1, rowBytes, stride, panel, units, active, zero, new Checkpoints(), tile));
            AssertTileIsPlainSums(l1, rowBytes, queries, dimension, stride, tile, context);
            CheckStopping<TKernel>(random, l1, rowBytes, queries, dimension, stride, panel, units, active, zero, context);
        }
    }

    /// <summary>
    /// Limits drawn around the partial sums at random checkpoints: the tile must stop exactly when some checkpoint
    /// has every (row, query) partial sum at or beyond the query's limit, and otherwise give the plain sums.
    /// </summary>
    private static void CheckStopping<TKernel>(Random random, bool l1, byte[] rowBytes, byte[,] queries, int dimension, int stride,
        object panel, int[] units, int active, int zero, string context) where TKernel : IByteDistanceTileKernel
    {
        const int rows = IByteDistanceTileKernel.Rows, spacing = KnnBlockSizes.CheckpointCoordinates;
        int count = (stride - 1) / spacing, width = queries.GetLength(0);
        if (count == 0)
            return;
        var checkpoints = new Checkpoints { Ends = new int[count], RowSquares = new int[rows * count], QuerySquares = new int[count * width] };
        for (int t = 0, u = 0; t < count; t++)
        {
            while (u < active && units[u] < (t + 1) * spacing / (l1 ? 8 : 2))
                u++;
            checkpoints.Ends[t] = u;
        }
        // The partial distance of each pair at each checkpoint: the coordinates before it, and for L1 also the groups
        // of eight where all six rows are zero (summed first).
        bool[] zeroGroup = Enumerable.Range(0, stride / 8)
            .Select(g => Enumerable.Range(0, rows).All(r => rowBytes.AsSpan(r * stride + g * 8, 8).IndexOfAnyExcept((byte)0) < 0)).ToArray();
        var partial = new int[count, rows, width];
        for (int t = 0; t < count; t++)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < width; j++)
                {
                    for (int p = 0; p < dimension; p++)
                    {
                        int x = queries[j, p], y = rowBytes[r * stride + p];
                        if (p < (t + 1) * spacing || (l1 && zeroGroup[p / 8]))
                            partial[t, r, j] += l1 ? Math.Abs(x - y) : (x - y) * (x - y);
                        if (p < (t + 1) * spacing)
                        {
                            checkpoints.RowSquares[r * count + t] += j == 0 ? y * y : 0;
                            checkpoints.QuerySquares[t * width + j] += r == 0 ? x * x : 0;
                        }
                    }
                }
            }
        }
        var tile = new int[rows * width];
        for (int trial = 0; trial < 12; trial++)
        {
            int t0 = random.Next(count);
            var limits = new int[width];
            for (int j = 0; j < width; j++)
            {
                int nearest = Enumerable.Range(0, rows).Min(r => partial[t0, r, j]);
                // Trial 0: no limit; 1: every limit reached at t0; later: some queries just out of reach.
                limits[j] = trial == 0 ? int.MaxValue : trial == 1 || random.Next(3 * width) != 0 ? nearest : nearest + 1;
            }
            bool shouldStop = Enumerable.Range(0, count).Any(t =>
                Enumerable.Range(0, rows).All(r => Enumerable.Range(0, width).All(j => partial[t, r, j] >= limits[j])));
            if (trial < 2)
                Assert.AreEqual(trial == 1, shouldStop, $"{context}: trial {trial} sets up the intended case");
            checkpoints.Limits = limits;
            bool complete = Run<TKernel>(l1, rowBytes, stride, panel, units, active, zero, checkpoints, tile);
            Assert.AreEqual(!shouldStop, complete, $"{context}: trial {trial}, checkpoint {t0} of {count}");
            if (complete)
                AssertTileIsPlainSums(l1, rowBytes, queries, dimension, stride, tile, context);
        }
    }

    /// <summary>The arrays behind a <see cref="PartialSumChecks"/> (empty: no checkpoints).</summary>
    private sealed class Checkpoints
    {
        public int[] Ends { get; init; } = [0];
        public int[] RowSquares { get; init; } = [0];
        public int[] QuerySquares { get; init; } = [0];
        public int[] Limits { get; set; } = [0];
    }

    private static bool Run<TKernel>(bool l1, byte[] rowBytes, int stride, object panel, int[] units, int active, int zero,
        Checkpoints checkpoints, int[] tile) where TKernel : IByteDistanceTileKernel
    {
        fixed (byte* rowData = rowBytes)
        fixed (short* widenedData = rowBytes.Select(b => (short)b).ToArray())
        fixed (int* unitData = units, tileData = tile, ends = checkpoints.Ends, limits = checkpoints.Limits)
        fixed (int* rowSquares = checkpoints.RowSquares, querySquares = checkpoints.QuerySquares)
        {
            int count = checkpoints.Ends.Length == checkpoints.RowSquares.Length / IByteDistanceTileKernel.Rows ? checkpoints.Ends.Length : 0;
            var checks = new PartialSumChecks(count, ends, limits, rowSquares, querySquares);
            if (l1)
            {
                fixed (byte* panelData = (byte[])panel)
                    return TKernel.L1(rowData, stride, panelData, unitData, active, zero, checks, tileData);
            }
            fixed (short* panelData = (short[])panel)
                return TKernel.Dot(widenedData, stride, panelData, unitData, active, checks, tileData);
        }
    }

    private static void AssertTileIsPlainSums(bool l1, byte[] rowBytes, byte[,] queries, int dimension, int stride, int[] tile, string context)
    {
        int width = queries.GetLength(0);
        for (int r = 0; r < IByteDistanceTileKernel.Rows; r++)
        {
            for (int j = 0; j < width; j++)
            {
                int expected = 0;
                for (int p = 0; p < dimension; p++)
                {
                    int x = queries[j, p], y = rowBytes[r * stride + p];
                    expected += l1 ? Math.Abs(x - y) : x * y;
                }
                Assert.AreEqual(expected, tile[r * width + j], $"{context}, row {r}, query {j}");
            }
        }
    }
}
