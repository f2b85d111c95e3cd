using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Neighbors;

/// <summary>Every kind of bad input fails with a message that names the column or option, the value and the fix.</summary>
[TestClass]
public sealed class KNearestNeighborsBadInputTests
{
    private static IDataView Blobs(MLContext mlContext, int rowsPerClass = 10)
        => SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(rowsPerClass, 3, 4, 1f, seed: 4), 4);

    private static T Throws<T>(Action action, params string[] fragments) where T : Exception
    {
        var exception = Assert.ThrowsExactly<T>(action);
        foreach (string fragment in fragments)
            StringAssert.Contains(exception.Message, fragment);
        return exception;
    }

    [TestMethod]
    public void LabelThatIsNotAKeyAsksForMapValueToKey()
    {
        var mlContext = new MLContext(1);
        Throws<ArgumentOutOfRangeException>(() => mlContext.MulticlassClassification.Trainers.KNearestNeighbors().Fit(Blobs(mlContext)),
            "Label column 'Label' must be a key type", "String", "MapValueToKey(\"Label\")");
    }

    [TestMethod]
    public void LabelThatIsNotAKeyIsCaughtBeforeFitting()
    {
        var mlContext = new MLContext(1);
        var shape = TrainerWorkout.ShapeOf(Blobs(mlContext).Schema);
        Throws<ArgumentOutOfRangeException>(() => mlContext.MulticlassClassification.Trainers.KNearestNeighbors().GetOutputSchema(shape),
            "Label column 'Label' must be a key type", "MapValueToKey");
    }

    [TestMethod]
    public void FeaturesOfDoubleAreRejectedWithTheConversionToUse()
    {
        var mlContext = new MLContext(1);
        var data = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.Transforms.Conversion.ConvertType("Features", outputKind: DataKind.Double))
            .Fit(Blobs(mlContext)).Transform(Blobs(mlContext));
        Throws<ArgumentOutOfRangeException>(() => mlContext.MulticlassClassification.Trainers.KNearestNeighbors().Fit(data),
            "Feature column 'Features' must be a vector of Single with a known size", "Double", "ConvertType");
    }

    [TestMethod]
    public void VariableSizeFeaturesAreRejected()
    {
        var mlContext = new MLContext(1);
        var rows = new[] { new LabelledRow { Label = "a", Features = new[] { 1f } }, new LabelledRow { Label = "b", Features = new[] { 2f } } };
        var data = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(mlContext.Data.LoadFromEnumerable(rows)).Transform(mlContext.Data.LoadFromEnumerable(rows));
        Throws<ArgumentOutOfRangeException>(() => mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 1).Fit(data),
            "Feature column 'Features' must be a vector of Single with a known size");
    }

    [TestMethod]
    public void MissingColumnIsNamedWithTheColumnsThatExist()
    {
        var mlContext = new MLContext(1);
        var data = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(Blobs(mlContext)).Transform(Blobs(mlContext));
        Throws<ArgumentOutOfRangeException>(() => mlContext.MulticlassClassification.Trainers.KNearestNeighbors(featureColumnName: "Pixels").Fit(data),
            "Feature column 'Pixels' was not found", "'Features'", "featureColumnName");
    }

    [TestMethod]
    public void EmptyTrainingSetIsAnError()
    {
        var mlContext = new MLContext(1);
        var data = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(Blobs(mlContext)).Transform(Blobs(mlContext));
        var empty = mlContext.Data.SkipRows(data, 1000);
        Throws<ArgumentException>(() => mlContext.MulticlassClassification.Trainers.KNearestNeighbors().Fit(empty),
            "The training data has no usable rows");
    }

    [TestMethod]
    public void RowsWithNaNFeaturesAreSkippedAndCounted()
    {
        var mlContext = new MLContext(1);
        var log = new List<string>();
        mlContext.Log += (_, e) => { lock (log) log.Add(e.Message); };
        var rows = SyntheticData.Blobs(10, 3, 4, 1f, seed: 4);
        rows[0].Features[2] = float.NaN;
        rows[1].Features[0] = float.PositiveInfinity;
        var data = SyntheticData.ToDataView(mlContext, rows, 4);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 3)).Fit(data);
        Assert.AreEqual(28, model.LastTransformer.Model.TrainingRowCount);
        Assert.IsTrue(log.Any(m => m.Contains("Skipped 2 training rows with NaN or infinite values in 'Features'")), string.Join("\n", log));

        // At prediction time a row with NaN scores NaN and predicts the missing key, as ML.NET's linear models do.
        var scored = model.Transform(data);
        Assert.IsTrue(ScoreReader.Scores(scored)[0].All(float.IsNaN));
        Assert.AreEqual(0u, ScoreReader.PredictedKeys(scored)[0]);
        Assert.AreNotEqual(0u, ScoreReader.PredictedKeys(scored)[2]);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-3)]
    public void NonPositiveKIsRejectedWhenTheTrainerIsCreated(int k)
    {
        var mlContext = new MLContext(1);
        Throws<ArgumentOutOfRangeException>(() => mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: k),
            "'NumberOfNeighbors' option of KNearestNeighborsTrainer must be a positive integer", $"got {k}");
    }

    [TestMethod]
    public void KLargerThanTheTrainingSetIsAnErrorAtFit()
    {
        var mlContext = new MLContext(1);
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 31));
        Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(Blobs(mlContext)), "(31) exceeds the number of usable training rows (30)");
        Assert.AreEqual(30, mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 30)).Fit(Blobs(mlContext)).LastTransformer.Model.NumberOfNeighbors);
    }

    [TestMethod]
    public void FeatureLengthAtPredictionMustMatchTraining()
    {
        var mlContext = new MLContext(1);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors()).Fit(Blobs(mlContext));
        var other = SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(5, 3, 7, 1f, seed: 1), 7);
        Throws<ArgumentOutOfRangeException>(() => model.Transform(other), "Feature column 'Features' has 7 values per row but the model was trained on 4");
        Throws<ArgumentException>(() => model.LastTransformer.Model.FindNeighbors(new float[7], 1), "7 features", "trained on 4");
    }

    [TestMethod]
    public void TruncatedOrCorruptedModelFilesFailCleanly()
    {
        var mlContext = new MLContext(1);
        var data = Blobs(mlContext);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors()).Fit(data);
        using var saved = new MemoryStream();
        mlContext.Model.Save(model, data.Schema, saved);
        byte[] bytes = saved.ToArray();

        var random = new Random(11);
        for (int trial = 0; trial < 40; trial++)
        {
            byte[] damaged = trial < 20
                ? bytes.AsSpan(0, random.Next(bytes.Length)).ToArray()
                : FlipBytes(bytes, random);
            try
            {
                var loaded = new MLContext(2).Model.Load(new MemoryStream(damaged), out _);
                // A flip in bytes nothing reads may load; then it must score as the original does.
                ScoreReader.AssertBitIdentical(ScoreReader.Scores(model.Transform(data)), ScoreReader.Scores(loaded.Transform(data)));
            }
            catch (Exception e)
            {
                // ML.NET loads pipeline parts by reflection and so wraps what a part throws.
                var cause = e;
                while (cause is System.Reflection.TargetInvocationException { InnerException: { } inner })
                    cause = inner;
                Assert.IsTrue(cause is FormatException or InvalidDataException or InvalidOperationException or ArgumentException or IOException,
                    $"trial {trial}: unexpected {cause.GetType().Name}: {cause.Message}");
                Assert.IsFalse(string.IsNullOrWhiteSpace(cause.Message));
            }
        }
    }

    [TestMethod]
    public void HugeCountInOurModelEntryIsRejectedBeforeAllocating()
    {
        var mlContext = new MLContext(1);
        var data = Blobs(mlContext);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors()).Fit(data);
        var saved = new MemoryStream();
        mlContext.Model.Save(model, data.Schema, saved);

        // Our entry starts with ClassCount 3, FeatureCount 4, TrainingRowCount 30, k 5: make the row count 2^31−1.
        var damaged = new MemoryStream();
        damaged.Write(saved.ToArray());
        using (var zip = new ZipArchive(damaged, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("TransformerChain/Transform_001/Model/Model.key")!;
            byte[] content;
            using (var read = entry.Open())
            {
                var buffer = new MemoryStream();
                read.CopyTo(buffer);
                content = buffer.ToArray();
            }
            byte[] pattern = new[] { 3, 4, 30, 5 }.SelectMany(BitConverter.GetBytes).ToArray();
            int at = content.AsSpan().IndexOf(pattern);
            Assert.IsTrue(at > 0, "found the model fields");
            BitConverter.GetBytes(int.MaxValue).CopyTo(content, at + 8);
            entry.Delete();
            using var write = zip.CreateEntry("TransformerChain/Transform_001/Model/Model.key").Open();
            write.Write(content);
        }

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var exception = Assert.Throws<Exception>(() => new MLContext(2).Model.Load(new MemoryStream(damaged.ToArray()), out _));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var cause = exception;
        while (cause is not CorruptModelException && cause.InnerException != null)
            cause = cause.InnerException;
        Assert.IsInstanceOfType<CorruptModelException>(cause, exception.ToString());
        StringAssert.Contains(cause.Message, "KNearestNeighborsModelParameters");
        StringAssert.Contains(cause.Message, "checksum");
        Assert.IsTrue(allocated < 64L << 20, $"loading allocated {allocated} bytes");
    }

    private static byte[] FlipBytes(byte[] original, Random random)
    {
        var copy = (byte[])original.Clone();
        for (int i = 0; i < 3; i++)
            copy[random.Next(copy.Length)] ^= (byte)(1 + random.Next(255));
        return copy;
    }
}
