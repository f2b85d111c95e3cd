using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Reliability;

/// <summary>Edge cases of data, across every trainer: each works as documented or fails with a specific message.</summary>
[TestClass]
public sealed class LimitsTests
{
    public static IEnumerable<object[]> Trainers => TrainerCatalog.All.Select(t => new object[] { t.Name });

    private static IDataView Keyed(MLContext mlContext, IEnumerable<LabelledRow> rows, int dimension, string[]? keys = null)
    {
        var data = SyntheticData.ToDataView(mlContext, rows, dimension);
        var estimator = keys == null
            ? mlContext.Transforms.Conversion.MapValueToKey("Label")
            : mlContext.Transforms.Conversion.MapValueToKey("Label", keyData: mlContext.Data.LoadFromEnumerable(keys.Select(k => new { Label = k })));
        return estimator.Fit(data).Transform(data);
    }

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void OneClassOnlyPredictsThatClass(string trainerName)
    {
        var mlContext = new MLContext(1);
        var rows = SyntheticData.Blobs(20, 1, 4, 1f, seed: 1);
        var data = Keyed(mlContext, rows, 4);
        var model = TrainerCatalog.Create(trainerName, mlContext).Fit(data);
        Assert.IsTrue(ScoreReader.PredictedKeys(model.Transform(data)).All(k => k == 1u));
    }

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void UnusedKeyValuesGetScoresButAreNeverPredicted(string trainerName)
    {
        var mlContext = new MLContext(1);
        var rows = SyntheticData.Blobs(200, 2, 4, 1f, seed: 2);
        var data = Keyed(mlContext, rows, 4, new[] { "class0", "unused", "class1", "also unused" });
        // Unnormalised blobs: give the network enough epochs to learn them.
        var scored = TrainerCatalog.Create(trainerName, mlContext, epochs: 30).Fit(data).Transform(data);
        Assert.IsTrue(ScoreReader.Scores(scored).All(s => s.Length == 4));
        var predicted = ScoreReader.PredictedKeys(scored);
        Assert.IsFalse(predicted.Any(k => k == 2u || k == 4u), "an unused class was predicted");
        double accuracy = mlContext.MulticlassClassification.Evaluate(scored).MicroAccuracy;
        Assert.IsTrue(accuracy > 0.9, $"accuracy {accuracy}");
    }

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void ZeroLengthFeaturesAreRejected(string trainerName)
    {
        var mlContext = new MLContext(1);
        var rows = Enumerable.Range(0, 6).Select(i => new LabelledRow { Label = $"c{i % 2}", Features = Array.Empty<float>() });
        var data = Keyed(mlContext, rows, 0);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TrainerCatalog.Create(trainerName, mlContext).Fit(data));
        StringAssert.Contains(error.Message, "Feature column 'Features' must be a vector of Single with a known size");
    }

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void OnlyNonFiniteRowsMeanNoUsableRows(string trainerName)
    {
        var mlContext = new MLContext(1);
        var rows = SyntheticData.Blobs(5, 2, 3, 1f, seed: 3);
        foreach (var row in rows)
            row.Features[1] = float.NaN;
        var error = Assert.ThrowsExactly<ArgumentException>(() => TrainerCatalog.Create(trainerName, mlContext).Fit(Keyed(mlContext, rows, 3)));
        StringAssert.Contains(error.Message, "10 had NaN or infinite features in 'Features'");
    }

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void HugeFeatureValuesNeverGiveASilentNaNModel(string trainerName)
    {
        var mlContext = new MLContext(1);
        var rows = SyntheticData.Blobs(20, 3, 4, 1f, seed: 4);
        foreach (var row in rows)
            for (int i = 0; i < row.Features.Length; i++)
                row.Features[i] *= 1e30f;
        var data = Keyed(mlContext, rows, 4);
        try
        {
            var scored = TrainerCatalog.Create(trainerName, mlContext).Fit(data).Transform(data);
            // If training succeeds, every score must be a number and predictions must be real classes.
            Assert.IsTrue(ScoreReader.Scores(scored).All(s => s.All(float.IsFinite)), "non-finite scores from finite input");
            Assert.IsTrue(ScoreReader.PredictedKeys(scored).All(k => k >= 1 && k <= 3));
        }
        catch (InvalidOperationException e)
        {
            // Gradient training diverges on unscaled data: the error must say so and name the fix.
            StringAssert.Contains(e.Message, "learning rate");
        }
        catch (ArgumentOutOfRangeException e) when (trainerName == "KNearestNeighbors")
        {
            // kNN refuses rows whose distances would overflow single precision, naming the column and the fix.
            StringAssert.Contains(e.Message, "Feature column 'Features'");
            StringAssert.Contains(e.Message, "NormalizeMinMax");
        }
    }

    [TestMethod]
    public void KnnRefusesATrainingSetLargerThanMemoryBeforeReadingIt()
    {
        var mlContext = new MLContext(1);
        var huge = new HugeDataView(rows: 20_000_000_000, dimension: 784);
        var error = Assert.ThrowsExactly<InsufficientMemoryException>(() => mlContext.MulticlassClassification.Trainers.KNearestNeighbors().Fit(huge));
        StringAssert.Contains(error.Message, "GiB for the feature matrix");
        Assert.AreEqual(0, huge.CursorsOpened, "no row was read");
    }

    /// <summary>A data view that claims more rows than any machine holds, and counts the cursors asked of it.</summary>
    private sealed class HugeDataView : IDataView
    {
        private readonly long _rows;

        public HugeDataView(long rows, int dimension)
        {
            _rows = rows;
            var builder = new DataViewSchema.Builder();
            builder.AddColumn("Label", new KeyDataViewType(typeof(uint), 10));
            builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, dimension));
            Schema = builder.ToSchema();
        }

        public int CursorsOpened { get; private set; }

        public bool CanShuffle => false;

        public DataViewSchema Schema { get; }

        public long? GetRowCount() => _rows;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            CursorsOpened++;
            throw new NotSupportedException("this test data view is never read");
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
            => new[] { GetRowCursor(columnsNeeded, rand) };
    }
}
