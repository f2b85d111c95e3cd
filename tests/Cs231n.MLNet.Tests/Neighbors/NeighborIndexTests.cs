using Cs231n.MLNet.Neighbors;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Tests.Numerics;

[TestClass]
public sealed class NeighborIndexTests
{
    private static readonly KnnDistance[] Distances = [KnnDistance.L1, KnnDistance.L2, KnnDistance.Cosine];

    [TestMethod]
    [DataRow("Vector512")]
    [DataRow("Vector256")]
    [DataRow("Scalar")]
    public void FastSearchEqualsExactScanOnRandomData(string kernel)
    {
        using var scope = new NumericsSettingsScope(Enum.Parse<SimdInstructionSet>(kernel));
        var random = new Random(1);
        foreach (KnnDistance distance in Distances)
        {
            foreach (var (count, dimension, queries) in new[] { (1, 3, 2), (50, 17, 70), (203, 33, 19), (97, 1, 5) })
            {
                float[] rows = RandomValues(random, count * dimension, continuous: true);
                float[] queryRows = RandomValues(random, queries * dimension, continuous: true);
                foreach (int k in new[] { 1, Math.Min(5, count), count })
                    AssertSameAsExact(rows, count, dimension, distance, queryRows, queries, k);
            }
        }
    }

    [TestMethod]
    [DataRow("Vector512")]
    [DataRow("Vector256")]
    [DataRow("Scalar")]
    public void DuplicatesAndTiesFollowTheRowOrder(string kernel)
    {
        using var scope = new NumericsSettingsScope(Enum.Parse<SimdInstructionSet>(kernel));
        var random = new Random(2);
        const int dimension = 6, unique = 40, count = 3 * unique;
        // Small integers make many exactly equal distances; every row appears three times.
        float[] distinct = RandomValues(random, unique * dimension, continuous: false);
        float[] rows = new float[count * dimension];
        for (int copy = 0; copy < 3; copy++)
            distinct.CopyTo(rows, copy * unique * dimension);
        float[] queries = RandomValues(random, 30 * dimension, continuous: false);
        rows.AsSpan(7 * dimension, dimension).CopyTo(queries.AsSpan(0, dimension)); // A query equal to a row.
        queries.AsSpan(dimension, dimension).Clear(); // A zero query (cosine distance 1 to everything).
        rows.AsSpan(5 * dimension, dimension).Clear(); // A zero row.
        foreach (KnnDistance distance in Distances)
        {
            foreach (int k in new[] { 1, 4, 9, count })
                AssertSameAsExact(rows, count, dimension, distance, queries, 30, k);
        }
    }

    [TestMethod]
    public void ManyQueriesAndLargeRowsCrossChunkAndBlockBoundaries()
    {
        var random = new Random(4);
        // Scalar panels hold 4 queries and chunks 256, so 300 queries span two chunks.
        using (new NumericsSettingsScope(SimdInstructionSet.Scalar))
        {
            float[] rows = RandomValues(random, 61 * 5, continuous: true);
            float[] queries = RandomValues(random, 300 * 5, continuous: true);
            AssertSameAsExact(rows, 61, 5, KnnDistance.L2, queries, 300, 3);
        }
        // Rows of 2,048 values make training blocks of 510 rows, so 1,100 rows span three blocks.
        using (new NumericsSettingsScope())
        {
            const int dimension = 2048, count = 1100;
            float[] rows = RandomValues(random, count * dimension, continuous: true);
            float[] queries = RandomValues(random, 9 * dimension, continuous: true);
            foreach (KnnDistance distance in Distances)
                AssertSameAsExact(rows, count, dimension, distance, queries, 9, 5);
        }
    }

    [TestMethod]
    public void FewQueriesSplitTheRowsAcrossThreadsWithTheSameAnswer()
    {
        var random = new Random(12);
        const int count = 4201, dimension = 10;
        float[] rows = RandomValues(random, count * dimension, continuous: false);
        // One query takes the row-by-row path, twenty take one or two panels with the rows split in parts.
        foreach (int queryCount in new[] { 1, 20 })
        {
            float[] queries = RandomValues(random, queryCount * dimension, continuous: false);
            foreach (KnnDistance distance in Distances)
            {
                AssertSameAsExact(rows, count, dimension, distance, queries, queryCount, 6);
                var index = new NeighborIndex(rows, count, dimension, distance);
                var (singleIndices, _) = Search(index, queries, queryCount, 6, threads: 1);
                var (allIndices, _) = Search(index, queries, queryCount, 6, threads: 2);
                CollectionAssert.AreEqual(singleIndices, allIndices, $"{distance}, {queryCount} queries");
            }
        }
    }

    [TestMethod]
    public void ResultsAreIdenticalForOneAndAllThreads()
    {
        var random = new Random(6);
        const int count = 500, dimension = 40, queries = 150, k = 7;
        float[] rows = RandomValues(random, count * dimension, continuous: true);
        float[] queryRows = RandomValues(random, queries * dimension, continuous: true);
        foreach (KnnDistance distance in Distances)
        {
            var index = new NeighborIndex(rows, count, dimension, distance);
            var (singleIndices, singleDistances) = Search(index, queryRows, queries, k, threads: 1);
            var (allIndices, allDistances) = Search(index, queryRows, queries, k, threads: 2);
            CollectionAssert.AreEqual(singleIndices, allIndices, $"{distance}");
            CollectionAssert.AreEqual(singleDistances, allDistances, $"{distance}");
        }
    }

    [TestMethod]
    public void ExactScanMatchesSortingAllDistances()
    {
        var random = new Random(9);
        const int count = 60, dimension = 4, queries = 10;
        float[] rows = RandomValues(random, count * dimension, continuous: false);
        float[] queryRows = RandomValues(random, queries * dimension, continuous: false);
        foreach (KnnDistance distance in Distances)
        {
            var index = new NeighborIndex(rows, count, dimension, distance);
            var indices = new int[queries * count];
            var distances = new float[queries * count];
            index.SearchExact(queryRows, queries, count, indices, distances);
            for (int q = 0; q < queries; q++)
            {
                var expected = Enumerable.Range(0, count)
                    .Select(r => (Distance: DistanceFormulas.Distance(queryRows.AsSpan(q * dimension, dimension), rows.AsSpan(r * dimension, dimension), distance), Row: r))
                    .OrderBy(p => p.Distance).ThenBy(p => p.Row).ToArray();
                CollectionAssert.AreEqual(expected.Select(p => p.Row).ToArray(), indices.AsSpan(q * count, count).ToArray(), $"{distance}, query {q}");
            }
        }
    }

    [TestMethod]
    public void DistanceFormulasFollowTheDefinitions()
    {
        float[] x = [3, 0], y = [0, 4];
        Assert.AreEqual(7f, DistanceFormulas.Distance(x, y, KnnDistance.L1));
        Assert.AreEqual(5f, DistanceFormulas.Distance(x, y, KnnDistance.L2));
        Assert.AreEqual(1f, DistanceFormulas.Distance(x, y, KnnDistance.Cosine));
        Assert.AreEqual(0f, DistanceFormulas.Distance(x, [6, 0], KnnDistance.Cosine), 1e-7f);
        Assert.AreEqual(1f, DistanceFormulas.Distance(x, [0, 0], KnnDistance.Cosine));
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new NeighborIndex(new float[5], 2, 3, KnnDistance.L2));
        var index = new NeighborIndex(new float[6], 2, 3, KnnDistance.L2);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => index.Search(new float[3], 1, 3, new int[3], new float[3]));
        Assert.ThrowsExactly<ArgumentException>(() => index.Search(new float[2], 1, 1, new int[1], new float[1]));
    }

    private static void AssertSameAsExact(float[] rows, int count, int dimension, KnnDistance distance, float[] queries, int queryCount, int k)
    {
        var index = new NeighborIndex(rows, count, dimension, distance);
        var (fastIndices, fastDistances) = Search(index, queries, queryCount, k, threads: null);
        var exactIndices = new int[queryCount * k];
        var exactDistances = new float[queryCount * k];
        index.SearchExact(queries, queryCount, k, exactIndices, exactDistances);
        string context = $"{distance}, {count} rows of {dimension}, {queryCount} queries, k={k}, kernel {NumericsSettings.InstructionSet}";
        CollectionAssert.AreEqual(exactIndices, fastIndices, context);
        CollectionAssert.AreEqual(exactDistances, fastDistances, context);
    }

    private static (int[] Indices, float[] Distances) Search(NeighborIndex index, float[] queries, int queryCount, int k, int? threads)
    {
        var indices = new int[queryCount * k];
        var distances = new float[queryCount * k];
        using (new NumericsSettingsScope(NumericsSettings.ForcedInstructionSet, threads))
            index.Search(queries, queryCount, k, indices, distances);
        return (indices, distances);
    }

    private static float[] RandomValues(Random random, int length, bool continuous)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = continuous ? (float)(random.NextDouble() * 2 - 1) : random.Next(-2, 3);
        return values;
    }
}
