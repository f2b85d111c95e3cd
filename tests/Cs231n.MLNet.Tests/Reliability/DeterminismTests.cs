using System.IO.Compression;
using Microsoft.ML;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Reliability;

/// <summary>Same data, options, seed and thread count ⇒ a bit-identical model, for every trainer.</summary>
[TestClass]
public sealed class DeterminismTests
{
    public static IEnumerable<object[]> Trainers => TrainerCatalog.All.Select(t => new object[] { t.Name });

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void SameSeedGivesABitIdenticalModel(string trainerName)
    {
        byte[] first = TrainedModelBytes(trainerName, seed: 5);
        byte[] second = TrainedModelBytes(trainerName, seed: 5);
        CollectionAssert.AreEqual(first, second, "the saved learned state differs between two runs with the same seed");
    }

    /// <summary>The bytes of our model's entry in the saved pipeline: exactly the learned state.</summary>
    private static byte[] TrainedModelBytes(string trainerName, int seed)
    {
        var mlContext = new MLContext(seed: seed);
        var data = SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(60, 3, 6, 2f, seed: 8), 6);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label").Append(TrainerCatalog.Create(trainerName, mlContext)).Fit(data);
        var stream = new MemoryStream();
        mlContext.Model.Save(model, data.Schema, stream);
        using var archive = new ZipArchive(new MemoryStream(stream.ToArray()));
        using var entry = archive.Entries.Single(e => e.FullName.EndsWith("Transform_001/Model/Model.key", StringComparison.Ordinal)).Open();
        var bytes = new MemoryStream();
        entry.CopyTo(bytes);
        return bytes.ToArray();
    }
}
