using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Neighbors;
using Cs231n.MLNet.Numerics;
using Cs231n.MLNet.Tests.Numerics;

namespace Cs231n.MLNet.Tests.Neighbors;

/// <summary>The exact 8-bit kNN path must give the float search's answers bit for bit, on every kernel and thread count.</summary>
[TestClass]
public sealed class ByteNeighborIndexTests
{
    [TestMethod]
    public void GridDetectionAcceptsOnlyExactGridValues()
    {
        var bytes = new byte[4];
        Assert.AreEqual(ByteGridScale.Integers, ByteGrid.Detect([0f, 1f, 255f, 17f], bytes)!.Scale);
        CollectionAssert.AreEqual(new byte[] { 0, 1, 255, 17 }, bytes);
        Assert.AreEqual(ByteGridScale.DividedBy255, ByteGrid.Detect([0f, 1f / 255f, 1f, 200f / 255f], bytes)!.Scale);
        Assert.AreEqual(ByteGridScale.TimesReciprocalOf255, ByteGrid.Detect([0f, 1f, 77 * (1f / 255f), 200 * (1f / 255f)], bytes)!.Scale);
        Assert.IsNull(ByteGrid.Detect([0f, 0.5f, 1f, 2f], bytes), "0.5 is on no grid");
        Assert.IsNull(ByteGrid.Detect([0f, 256f, 1f, 2f], bytes), "256 is beyond a byte");
        Assert.IsNull(ByteGrid.Detect([0f, -1f, 1f, 2f], bytes), "negative values are beyond a byte");
        Assert.IsNull(ByteGrid.Detect([0f, float.NaN, 1f, 2f], bytes));
        Assert.IsNull(ByteGrid.Detect([0f, 1f / 255f + 1e-7f, 1f, 0f], bytes), "off the grid by one ulp");
    }

    [TestMethod]
    [DataRow("Vector512", 2)]
    [DataRow("Vector512", 1)]
    [DataRow("Vector256", 2)]
    [DataRow("Scalar", 2)]
    public void AnswersEqualTheFloatSearch(string kernel, int threads)
    {
        using var scope = new NumericsSettingsScope(Enum.Parse<SimdInstructionSet>(kernel), threads);
        var random = new Random(threads * 7 + kernel.Length);
        foreach (KnnDistance distance in new[] { KnnDistance.L2, KnnDistance.L1 })
        {
            // Ragged dimensions, rows not a multiple of six, few and many queries (both scan plans), a tiny set,
            // and small values so that many distances tie exactly.
            foreach (var (count, dimension, queries, levels) in new[] { (1000, 37, 300, 4), (4103, 64, 5, 256), (7, 9, 20, 3), (600, 784, 70, 256) })
            {
                foreach (float scale in new[] { 1f, 1f / 255f })
                {
                    float[] rows = GridValues(random, count * dimension, levels, scale);
                    float[] queryRows = GridValues(random, queries * dimension, levels, scale);
                    rows.AsSpan(3 * dimension, dimension).CopyTo(queryRows.AsSpan(0, dimension)); // a query equal to a row
                    foreach (int k in new[] { 1, Math.Min(5, count) })
                        AssertSameAsFloat(rows, count, dimension, distance, queryRows, queries, k);
                }
            }
        }
    }

    [TestMethod]
    public void RowsOfVeryHighDimensionNeedNoLargeStack()
    {
        // 300,000 coordinates (a 316×316×3 image): the tiles' scratch rows would not fit on a worker's stack.
        const int count = 40, dimension = 300_000, queries = 3;
        var random = new Random(11);
        float[] data = GridValues(random, (count + queries) * dimension, 256, 1f / 255f);
        foreach (KnnDistance distance in new[] { KnnDistance.L2, KnnDistance.L1 })
            AssertSameAsFloat(data[..(count * dimension)], count, dimension, distance, data[(count * dimension)..], queries, k: 3);
    }

    [TestMethod]
    public void QueriesOffTheGridFallBackToTheFloatSearch()
    {
        var random = new Random(3);
        const int count = 500, dimension = 20, queries = 40;
        float[] rows = GridValues(random, count * dimension, 256, 1f / 255f);
        float[] queryRows = GridValues(random, queries * dimension, 256, 1f / 255f);
        for (int q = 0; q < queries; q += 3)
            queryRows[q * dimension + 5] = 0.123456f; // every third query leaves the grid
        AssertSameAsFloat(rows, count, dimension, KnnDistance.L2, queryRows, queries, 5);
        AssertSameAsFloat(rows, count, dimension, KnnDistance.L1, queryRows, queries, 5);
    }

    [TestMethod]
    public void EightBitModelStoresAQuarterOfTheBytesAndReloadsExactly()
    {
        var mlContext = new MLContext(seed: 1);
        var random = new Random(5);
        const int dimension = 256;
        var rows = Enumerable.Range(0, 600).Select(i => new TestSupport.LabelledRow
        {
            Label = $"c{i % 3}",
            Features = GridValues(random, dimension, 256, 1f / 255f).Select((v, j) => Math.Min(1f, v * 0.5f + (j % 3 == i % 3 ? 0.5f : 0f)) is var x ? MathF.Round(x * 255) / 255f : 0f).ToArray(),
        }).ToList();
        // The same data nudged off the grid keeps float storage.
        var offGrid = rows.Select(r => new TestSupport.LabelledRow { Label = r.Label, Features = r.Features.Select(v => v + 1e-3f).ToArray() }).ToList();
        string directory = Directory.CreateTempSubdirectory("cs231n-knn8-").FullName;
        try
        {
            long Save(List<TestSupport.LabelledRow> data, string name, out IDataView scored, out ITransformer loaded)
            {
                var view = TestSupport.SyntheticData.ToDataView(mlContext, data, dimension);
                var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
                    .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5)).Fit(view);
                string path = Path.Combine(directory, name);
                mlContext.Model.Save(model, view.Schema, path);
                loaded = mlContext.Model.Load(path, out _);
                scored = model.Transform(view);
                // The uncompressed size of the archive's entries: what the format stores, before zip compression.
                using var archive = System.IO.Compression.ZipFile.OpenRead(path);
                return archive.Entries.Sum(e => e.Length);
            }
            long eightBit = Save(rows, "grid.zip", out var scored, out var loaded);
            long floats = Save(offGrid, "float.zip", out _, out _);
            Assert.IsLessThanOrEqualTo(0.3 * floats, eightBit, $"8-bit model {eightBit} bytes, float model {floats} bytes (uncompressed)");
            var view = TestSupport.SyntheticData.ToDataView(mlContext, rows, dimension);
            TestSupport.ScoreReader.AssertBitIdentical(TestSupport.ScoreReader.Scores(scored), TestSupport.ScoreReader.Scores(loaded.Transform(view)));
            var knn = ((ISingleFeaturePredictionTransformer<KNearestNeighborsModelParameters>)((TransformerChain<ITransformer>)loaded).LastTransformer).Model;
            CollectionAssert.AreEqual(rows.SelectMany(r => r.Features).ToArray(), knn.TrainingFeatures.ToArray(), "the stored bytes decode to the training values exactly");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void AssertSameAsFloat(float[] rows, int count, int dimension, KnnDistance distance, float[] queries, int queryCount, int k)
    {
        ByteNeighborIndex index = KnnStorage.TryQuantize(rows, count, dimension, distance)
            ?? throw new AssertFailedException("the rows are on a grid and should be quantized");
        var expectedRows = new int[queryCount * k];
        var expectedDistances = new float[queryCount * k];
        new NeighborIndex(rows, count, dimension, distance).SearchExact(queries, queryCount, k, expectedRows, expectedDistances);
        var actualRows = new int[queryCount * k];
        var actualDistances = new float[queryCount * k];
        index.Search(queries, queryCount, k, actualRows, actualDistances);
        string context = $"{distance}, {count}×{dimension}, {queryCount} queries, k={k}, {index.Grid.Scale}";
        CollectionAssert.AreEqual(expectedRows, actualRows, context);
        CollectionAssert.AreEqual(expectedDistances, actualDistances, context);
    }

    private static float[] GridValues(Random random, int length, int levels, float scale)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            int b = random.Next(levels) * (255 / Math.Max(1, levels - 1));
            values[i] = scale == 1f ? b : b / 255f;
        }
        return values;
    }
}
