using Microsoft.ML;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Reliability;

/// <summary>
/// The pre-load archive check and the loaders' own refusal of duplicated entries: a padded, appended-to or damaged
/// file is turned away before ML.NET loads it.
/// </summary>
[TestClass]
public sealed class ModelFileCheckTests
{
    private const int Dimension = 4;
    private const string ModelEntry = "TransformerChain/Transform_001/Model/Model.key";

    [TestMethod]
    public void AFileAsSavedPassesAndItsLearnedStateIsChecked()
    {
        var (mlContext, bytes, _) = Saved();
        var result = ModelFileCheck.Verify(new MemoryStream(bytes));
        Assert.AreEqual(1, result.CheckedModels, "our model entry's checksum was verified");
        Assert.AreEqual(ModelArchive.ReadEntries(bytes).Count, result.EntryCount);
        Assert.IsNotNull(mlContext.Model.Load(new MemoryStream(bytes), out _));
    }

    [TestMethod]
    public void AnEntryPaddedBeyondTheBudgetIsRefused()
    {
        var (_, bytes, _) = Saved();
        var entries = ModelArchive.ReadEntries(bytes);
        entries[ModelEntry] = entries[ModelEntry].Concat(new byte[8 << 20]).ToArray(); // 8 MiB of zeros: a few KiB compressed
        byte[] padded = ModelArchive.WriteEntries(entries);
        Assert.IsLessThan(1 << 20, padded.Length);
        var error = Assert.ThrowsExactly<CorruptModelException>(() => ModelFileCheck.Verify(new MemoryStream(padded), maxExpandedBytes: 4 << 20));
        StringAssert.Contains(error.Message, ModelEntry);
        StringAssert.Contains(error.Message, "expands beyond");
    }

    [TestMethod]
    public void ADuplicatedEntryIsRefusedByTheCheckAndByOurLoader()
    {
        var (mlContext, bytes, data) = Saved();
        var other = ModelArchive.ReadEntries(ModelArchive.Save(mlContext, mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 1)).Fit(data), data))[ModelEntry];
        byte[] appended = ModelArchive.WriteEntries(ModelArchive.ReadEntries(bytes).Select(e => (e.Key, e.Value)).Append((ModelEntry, other)));

        var checkError = Assert.ThrowsExactly<CorruptModelException>(() => ModelFileCheck.Verify(new MemoryStream(appended)));
        StringAssert.Contains(checkError.Message, $"2 entries named '{ModelEntry}'");
        var loadError = Unwrap(Assert.Throws<Exception>(() => new MLContext(seed: 2).Model.Load(new MemoryStream(appended), out _)));
        Assert.IsInstanceOfType<CorruptModelException>(loadError, loadError.ToString());
        StringAssert.Contains(loadError.Message, "2 entries named");
    }

    [TestMethod]
    public void DamagedLearnedStateIsRefused()
    {
        var (_, bytes, _) = Saved();
        var entries = ModelArchive.ReadEntries(bytes);
        var content = (byte[])entries[ModelEntry].Clone();
        var header = MLNetInternals.ModelEntryHeader.TryRead(content)!.Value;
        Assert.AreEqual("Cs231nKnnModel", header.LoaderSignature);
        content[header.ModelOffset + 8 + 12] ^= 0x5A; // inside the learned state: after its 8-byte length, in the row count
        entries[ModelEntry] = content;
        var error = Assert.ThrowsExactly<CorruptModelException>(() => ModelFileCheck.Verify(new MemoryStream(ModelArchive.WriteEntries(entries))));
        StringAssert.Contains(error.Message, "checksum does not match");
    }

    [TestMethod]
    public void BytesThatAreNotAnArchiveAreRefused()
    {
        var error = Assert.ThrowsExactly<CorruptModelException>(() => ModelFileCheck.Verify(new MemoryStream(new byte[1000])));
        StringAssert.Contains(error.Message, "not a readable zip archive");
    }

    private static (MLContext, byte[], IDataView) Saved()
    {
        var mlContext = new MLContext(seed: 1);
        var data = SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(10, 3, Dimension, 1f, seed: 31), Dimension);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label").Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 3)).Fit(data);
        return (mlContext, ModelArchive.Save(mlContext, model, data), data);
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is System.Reflection.TargetInvocationException { InnerException: { } inner })
            e = inner;
        return e;
    }

}
