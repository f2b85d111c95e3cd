using Cs231n.MLNet.Data;
using Cs231n.MLNet.Neighbors;
using Cs231n.MLNet.Numerics;
using Cs231n.MLNet.Tests.Numerics;

namespace Cs231n.MLNet.Tests.Neighbors;

/// <summary>
/// The 8-bit search stops tiles early (exact pruning) and stores coordinates in its own order: its answers must still
/// be those of a plain brute-force search and of the float search, bit for bit (rows tied at equal distance in
/// increasing row order), on every kernel and thread count.
/// </summary>
[TestClass]
public sealed class ByteSearchPruningTests
{
    private const int Dimension = 784, Queries = 200;

    [TestMethod]
    [DataRow("Vector512", 2)]
    [DataRow("Vector512", 1)]
    [DataRow("Vector256", 2)]
    [DataRow("Vector256", 1)]
    [DataRow("Scalar", 2)]
    public void PrunedSearchOfFashionMnistEqualsBruteForce(string kernel, int threads)
    {
        using var scope = new NumericsSettingsScope(Enum.Parse<SimdInstructionSet>(kernel), threads);
        ImageDataset train = BundledData.FashionMnistTrain(), test = BundledData.FashionMnistTest();
        float[] rows = train.Pixels.Select(b => b / 255f).ToArray();
        float[] queries = test.Pixels.AsSpan(0, Queries * Dimension).ToArray().Select(b => b / 255f).ToArray();
        foreach (KnnDistance distance in new[] { KnnDistance.L2, KnnDistance.L1 })
        {
            ByteNeighborIndex index = KnnStorage.TryQuantize(rows, train.Count, Dimension, distance)
                ?? throw new AssertFailedException("pixels/255 are on the 8-bit grid");
            foreach (int k in new[] { 1, 5 })
                AssertSameAnswers(index, rows, train.Count, Dimension, queries, Queries, k, $"{kernel}, {threads} threads");
            // With one thread the rows are scanned as one block; with two, in eight parts with shortlists of their own.
            Assert.IsGreaterThan(0.3, index.StoppedTileShare, $"{distance}: the checks stop tiles early on real images");
        }
    }

    [TestMethod]
    [DataRow("Vector512", 2)]
    [DataRow("Vector512", 1)]
    [DataRow("Vector256", 2)]
    [DataRow("Scalar", 1)]
    public void CraftedTiesKeepTheLowestRows(string kernel, int threads)
    {
        using var scope = new NumericsSettingsScope(Enum.Parse<SimdInstructionSet>(kernel), threads);
        const int dimension = 200;
        var random = new Random(17);
        // 150 sparse patterns, each stored three times at scattered rows (three rows tie at every distance), and around
        // ten of them twenty rows one step away in twenty different coordinates (twenty rows tie at distance 1).
        var patterns = new byte[150][];
        for (int i = 0; i < patterns.Length; i++)
        {
            patterns[i] = new byte[dimension];
            int start = random.Next(dimension / 2), length = 20 + random.Next(dimension / 3);
            for (int p = start; p < Math.Min(dimension, start + length); p++)
                patterns[i][p] = (byte)(random.Next(4) * 60);
        }
        var stored = new List<byte[]>();
        foreach (byte[] pattern in patterns)
            stored.AddRange([pattern, pattern, pattern]);
        for (int i = 0; i < 10; i++)
        {
            for (int c = 0; c < 20; c++)
            {
                byte[] neighbour = (byte[])patterns[i].Clone();
                neighbour[c * 7 % dimension] += 1;
                stored.Add(neighbour);
            }
        }
        byte[][] shuffled = stored.OrderBy(_ => random.Next()).ToArray();
        var queryRows = patterns.Concat(patterns.Take(20).Select(p => p.Select((b, j) => j == 3 ? (byte)(b + 2) : b).ToArray())).ToArray();
        foreach (float scale in new[] { 1f, 1f / 255f })
        {
            float[] rows = shuffled.SelectMany(r => r).Select(b => scale == 1f ? b : b / 255f).ToArray();
            float[] queries = queryRows.SelectMany(r => r).Select(b => scale == 1f ? b : b / 255f).ToArray();
            foreach (KnnDistance distance in new[] { KnnDistance.L2, KnnDistance.L1 })
            {
                ByteNeighborIndex index = KnnStorage.TryQuantize(rows, shuffled.Length, dimension, distance)
                    ?? throw new AssertFailedException("the rows are on the 8-bit grid");
                foreach (int k in new[] { 1, 3, 5 })
                    AssertSameAnswers(index, rows, shuffled.Length, dimension, queries, queryRows.Length, k, $"{kernel}, {threads} threads, scale {scale}");
            }
        }
    }

    private static void AssertSameAnswers(ByteNeighborIndex index, float[] rows, int count, int dimension, float[] queries, int queryCount,
        int k, string context)
    {
        context = $"{context}, {index.Distance}, k={k}";
        var rowsFound = new int[queryCount * k];
        var distancesFound = new float[queryCount * k];
        index.Search(queries, queryCount, k, rowsFound, distancesFound);
        var (bruteRows, bruteDistances) = BruteForce(rows, count, dimension, queries, queryCount, k, index.Distance);
        CollectionAssert.AreEqual(bruteRows, rowsFound, $"{context}: rows against brute force");
        CollectionAssert.AreEqual(bruteDistances, distancesFound, $"{context}: distances against brute force");
        var floatRows = new int[queryCount * k];
        var floatDistances = new float[queryCount * k];
        new NeighborIndex(rows, count, dimension, index.Distance).Search(queries, queryCount, k, floatRows, floatDistances);
        CollectionAssert.AreEqual(floatRows, rowsFound, $"{context}: rows against the float search");
        CollectionAssert.AreEqual(floatDistances, distancesFound, $"{context}: distances against the float search");
    }

    /// <summary>Every distance written out plainly, then sorted by distance and row.</summary>
    private static (int[] Rows, float[] Distances) BruteForce(float[] rows, int count, int dimension, float[] queries, int queryCount,
        int k, KnnDistance distance)
    {
        var found = new int[queryCount * k];
        var distances = new float[queryCount * k];
        for (int q = 0; q < queryCount; q++)
        {
            var x = queries.AsSpan(q * dimension, dimension);
            var all = new (float Distance, int Row)[count];
            for (int r = 0; r < count; r++)
                all[r] = (DistanceFormulas.Distance(x, rows.AsSpan(r * dimension, dimension), distance), r);
            Array.Sort(all);
            for (int j = 0; j < k; j++)
                (distances[q * k + j], found[q * k + j]) = all[j];
        }
        return (found, distances);
    }
}
