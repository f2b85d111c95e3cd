using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Preprocessing;

/// <summary>
/// SubtractMeanImage saves and loads natively — alone, and inside a pipeline ending in our kNN trainer — with
/// bit-identical output in a fresh MLContext and in a separate process, and a damaged file fails cleanly.
/// </summary>
[TestClass]
public sealed class MeanImagePersistenceTests
{
    private const int Dimension = 8;

    private static List<FeatureRow> Blobs(int rowsPerClass, int seed)
        => SyntheticData.Blobs(rowsPerClass, 3, Dimension, 0.7f, seed)
            .Select(r => new FeatureRow { Label = r.Label, Features = r.Features }).ToList();

    /// <summary>90 training and 30 test rows around the same three centres.</summary>
    private static (List<FeatureRow> Train, List<FeatureRow> Test) Split()
    {
        var rows = Blobs(40, seed: 1);
        return (rows.Take(90).ToList(), rows.Skip(90).ToList());
    }

    private static IEstimator<ITransformer> KnnPipeline(MLContext mlContext)
        => mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.Transforms.SubtractMeanImage("Features"))
            // Cosine distance changes when the data is shifted, so the mean must be applied for the scores to match.
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5, distance: KnnDistance.Cosine))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    [TestMethod]
    public void TransformerSavedAloneLoadsInAFreshContextWithBitIdenticalOutput()
    {
        var mlContext = new MLContext(1);
        var data = MeanImageRows.View(mlContext, Blobs(10, seed: 2));
        var transformer = mlContext.Transforms.SubtractMeanImage("Centred", "Features").Fit(data);
        var stream = new MemoryStream();
        mlContext.Model.Save(transformer, data.Schema, stream);

        var fresh = new MLContext(99);
        stream.Position = 0;
        var loaded = fresh.Model.Load(stream, out var inputSchema);

        var typed = Assert.IsInstanceOfType<MeanImageTransformer>(loaded);
        CollectionAssert.AreEqual(transformer.Mean.ToArray(), typed.Mean.ToArray());
        Assert.AreEqual(transformer.TrainingRowCount, typed.TrainingRowCount);
        Assert.AreEqual("Features", typed.InputColumnName);
        Assert.AreEqual("Centred", typed.OutputColumnName);
        Assert.AreEqual(data.Schema.Count, inputSchema.Count);
        ScoreReader.AssertBitIdentical(MeanImageRows.Column(transformer.Transform(data), "Centred"),
            MeanImageRows.Column(loaded.Transform(MeanImageRows.View(fresh, Blobs(10, seed: 2))), "Centred"));
    }

    [TestMethod]
    public void KnnAfterSubtractMeanImageScoresExactlyAsKnnOnHandCentredData()
    {
        var mlContext = new MLContext(1);
        var (train, test) = Split();
        var model = KnnPipeline(mlContext).Fit(MeanImageRows.View(mlContext, train));

        var mean = Enumerable.Range(0, Dimension).Select(j => (float)train.Average(r => (double)r.Features[j])).ToArray();
        List<FeatureRow> Centre(List<FeatureRow> rows) => rows.Select(r => new FeatureRow
        {
            Label = r.Label,
            Features = r.Features.Select((v, j) => v - mean[j]).ToArray(),
        }).ToList();
        var byHand = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5, distance: KnnDistance.Cosine))
            .Fit(MeanImageRows.View(mlContext, Centre(train)));

        var scores = ScoreReader.Scores(model.Transform(MeanImageRows.View(mlContext, test)));
        ScoreReader.AssertBitIdentical(ScoreReader.Scores(byHand.Transform(MeanImageRows.View(mlContext, Centre(test)))), scores);
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(MeanImageRows.View(mlContext, test)));
        Assert.IsTrue(metrics.MicroAccuracy >= 0.9, $"accuracy {metrics.MicroAccuracy:F3} on well-separated blobs");
    }

    [TestMethod]
    public void PipelineWithKnnLoadsWithBitIdenticalScoresInAFreshContextAndInASeparateProcess()
    {
        var mlContext = new MLContext(1);
        var (trainRows, testRows) = Split();
        var train = MeanImageRows.View(mlContext, trainRows);
        var test = MeanImageRows.View(mlContext, testRows);
        var model = KnnPipeline(mlContext).Fit(train);
        var expected = ScoreReader.Scores(model.Transform(test));

        string directory = Directory.CreateTempSubdirectory("cs231n-mean-image-").FullName;
        try
        {
            string modelPath = Path.Combine(directory, "model.zip");
            mlContext.Model.Save(model, train.Schema, modelPath);

            var fresh = new MLContext(5);
            var loaded = fresh.Model.Load(modelPath, out _);
            var reloaded = loaded.Transform(MeanImageRows.View(fresh, testRows));
            ScoreReader.AssertBitIdentical(expected, ScoreReader.Scores(reloaded));
            CollectionAssert.AreEqual(
                model.Transform(test).GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString()).ToList(),
                reloaded.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString()).ToList());

            TrainerWorkout.AssertSeparateProcessScores(mlContext, modelPath, test, expected, directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void AChangedByteIsCaughtByTheChecksum()
    {
        var saved = SavedMeanImage();
        var content = (byte[])saved.Content.Clone();
        content[saved.MeanAt + 1] ^= 0x10;

        var cause = LoadFailure(Replace(saved.Zip, saved.EntryName, content));
        StringAssert.Contains(cause.Message, "MeanImageTransformer");
        StringAssert.Contains(cause.Message, "checksum");
    }

    [TestMethod]
    public void ImpossibleFieldsBehindAValidChecksumAreRejectedBeforeAllocating()
    {
        var saved = SavedMeanImage();

        var hugeCount = saved.With(saved.MeanAt - sizeof(int), BitConverter.GetBytes(int.MaxValue));
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var cause = LoadFailure(Replace(saved.Zip, saved.EntryName, hugeCount));
        Assert.IsTrue(GC.GetTotalAllocatedBytes(precise: true) - before < 64L << 20, "no allocation for the claimed count");
        StringAssert.Contains(cause.Message, "'Mean'");

        var noRows = saved.With(saved.MeanAt - sizeof(int) - sizeof(long), BitConverter.GetBytes(0L));
        StringAssert.Contains(LoadFailure(Replace(saved.Zip, saved.EntryName, noRows)).Message, "'TrainingRowCount'");

        var nanMean = saved.With(saved.MeanAt, BitConverter.GetBytes(float.NaN));
        StringAssert.Contains(LoadFailure(Replace(saved.Zip, saved.EntryName, nanMean)).Message, "'Mean'");

        var badName = saved.With(saved.PayloadAt + sizeof(int), [0xFF]);
        StringAssert.Contains(LoadFailure(Replace(saved.Zip, saved.EntryName, badName)).Message, "'InputColumnName' is not valid UTF-8");
    }

    [TestMethod]
    public void TruncatedEntryFailsWithAFormatException()
    {
        var saved = SavedMeanImage();
        foreach (int cut in new[] { saved.PayloadAt - 4, saved.MeanAt - 2, saved.MeanAt + 5, saved.Content.Length - 1 })
        {
            var damaged = Replace(saved.Zip, saved.EntryName, saved.Content.AsSpan(0, cut).ToArray());
            var exception = Assert.Throws<Exception>(() => new MLContext(2).Model.Load(new MemoryStream(damaged), out _));
            // ML.NET's own entry header check may see the cut first (FormatException); ours is a FormatException too.
            var cause = exception;
            while (cause is not FormatException && cause.InnerException != null)
                cause = cause.InnerException;
            Assert.IsInstanceOfType<FormatException>(cause, $"cut at {cut}: {exception}");
        }
    }

    /// <summary>
    /// A saved pipeline holding a fitted mean image (3 rows of 4 values): the zip, the mean image's entry, where its
    /// checksummed payload starts, and where the mean values start.
    /// </summary>
    private sealed record SavedEntry(byte[] Zip, string EntryName, byte[] Content, int PayloadAt, int PayloadLength, int MeanAt)
    {
        /// <summary>The entry with <paramref name="bytes"/> written at <paramref name="at"/> and the checksum made to match.</summary>
        public byte[] With(int at, byte[] bytes)
        {
            var copy = (byte[])Content.Clone();
            bytes.CopyTo(copy, at);
            SHA256.HashData(copy.AsSpan(PayloadAt, PayloadLength)).CopyTo(copy, PayloadAt + PayloadLength);
            return copy;
        }
    }

    private static SavedEntry SavedMeanImage()
    {
        var mlContext = new MLContext(1);
        var data = MeanImageRows.View(mlContext, [1f, 2f, 3f, 4f], [2f, 3f, 4f, 5f], [3f, 4f, 5f, 6f]);
        var model = mlContext.Transforms.SubtractMeanImage("Features").Append(mlContext.Transforms.Concatenate("Copy", "Features")).Fit(data);
        var stream = new MemoryStream();
        mlContext.Model.Save(model, data.Schema, stream);
        byte[] saved = stream.ToArray();

        using var zip = new ZipArchive(new MemoryStream(saved), ZipArchiveMode.Read);
        foreach (var entry in zip.Entries.Where(e => e.Name == "Model.key"))
        {
            using var read = entry.Open();
            var buffer = new MemoryStream();
            read.CopyTo(buffer);
            byte[] content = buffer.ToArray();
            if (content.AsSpan().IndexOf(Encoding.ASCII.GetBytes("CS231MIM")) < 0)
                continue;
            // The payload is a length, the bytes, and their SHA-256.
            for (int at = 0; at + sizeof(long) <= content.Length; at++)
            {
                long length = BitConverter.ToInt64(content, at);
                int start = at + sizeof(long);
                if (length <= 0 || start + length + 32 > content.Length)
                    continue;
                var payload = content.AsSpan(start, (int)length);
                if (!SHA256.HashData(payload).AsSpan().SequenceEqual(content.AsSpan(start + (int)length, 32)))
                    continue;
                byte[] fields = BitConverter.GetBytes(3L).Concat(BitConverter.GetBytes(4)).Concat(BitConverter.GetBytes(2f)).ToArray();
                int fieldsAt = payload.IndexOf(fields);
                Assert.IsTrue(fieldsAt > 0, "found the row count, feature count and first mean value");
                return new SavedEntry(saved, entry.FullName, content, start, (int)length, start + fieldsAt + sizeof(long) + sizeof(int));
            }
        }
        Assert.Fail("no entry with the mean image's model signature and a checksummed payload");
        return null!;
    }

    private static byte[] Replace(byte[] saved, string entryName, byte[] content)
    {
        var damaged = new MemoryStream();
        damaged.Write(saved);
        using (var zip = new ZipArchive(damaged, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(entryName)!.Delete();
            using var write = zip.CreateEntry(entryName).Open();
            write.Write(content);
        }
        return damaged.ToArray();
    }

    private static CorruptModelException LoadFailure(byte[] model)
    {
        var exception = Assert.Throws<Exception>(() => new MLContext(2).Model.Load(new MemoryStream(model), out _));
        // ML.NET loads pipeline parts by reflection and so wraps what a part throws.
        var cause = exception;
        while (cause is not CorruptModelException && cause.InnerException != null)
            cause = cause.InnerException;
        return Assert.IsInstanceOfType<CorruptModelException>(cause, exception.ToString());
    }

}
