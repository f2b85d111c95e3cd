using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Reliability;

[TestClass]
public sealed class AtomicModelSavingTests
{
    /// <summary>A transformer that passes data through but throws when saved, as a broken component would.</summary>
    private sealed class ThrowsWhenSaved : ITransformer
    {
        public bool IsRowToRowMapper => false;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        public IDataView Transform(IDataView input) => input;

        void ICanSaveModel.Save(ModelSaveContext ctx) => throw new IOException("disk full (simulated)");
    }

    [TestMethod]
    public void FailedSaveLeavesTheExistingModelIntact()
    {
        var mlContext = new MLContext(1);
        var data = SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(10, 3, 4, 1f, seed: 1), 4);
        var good = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 3)).Fit(data);
        string directory = Directory.CreateTempSubdirectory("cs231n-atomic-").FullName;
        try
        {
            string path = Path.Combine(directory, "model.zip");
            mlContext.Model.SaveAtomically(good, data.Schema, path);
            byte[] before = File.ReadAllBytes(path);

            var broken = new TransformerChain<ITransformer>(good, new ThrowsWhenSaved());
            var error = Assert.Throws<Exception>(() => mlContext.Model.SaveAtomically(broken, data.Schema, path));
            StringAssert.Contains(error.ToString(), "disk full (simulated)");

            CollectionAssert.AreEqual(before, File.ReadAllBytes(path), "the existing model is untouched");
            CollectionAssert.AreEqual(new[] { "model.zip" }, Directory.GetFiles(directory).Select(Path.GetFileName).ToArray(), "no temporary file is left");
            var loaded = mlContext.Model.Load(path, out _);
            ScoreReader.AssertBitIdentical(ScoreReader.Scores(good.Transform(data)), ScoreReader.Scores(loaded.Transform(data)));

            // For contrast: ML.NET's own Save to the same path destroys the good file.
            string plain = Path.Combine(directory, "plain.zip");
            File.WriteAllBytes(plain, before);
            Assert.Throws<Exception>(() => mlContext.Model.Save(broken, data.Schema, plain));
            Assert.AreNotEqual(before.Length, new FileInfo(plain).Length, "ML.NET's Save leaves a damaged file behind");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void MissingDirectoryIsNamed()
    {
        var mlContext = new MLContext(1);
        var error = Assert.ThrowsExactly<DirectoryNotFoundException>(() =>
            mlContext.Model.SaveAtomically(new ThrowsWhenSaved(), null, "/nonexistent-dir-for-test/model.zip"));
        StringAssert.Contains(error.Message, "nonexistent-dir-for-test");
    }
}
