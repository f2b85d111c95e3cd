using Cs231n.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.Data;

[TestClass]
public sealed class Cifar10Tests
{
    [TestMethod]
    public void LoadTrainConcatenatesTheFiveBatchesInOrder()
    {
        using var temp = new TempFolder();
        CifarBytes.WriteFolder(temp.Path, batches: 5, recordsPerBatch: 3, withTestBatch: true);

        var train = Cifar10.LoadTrain(temp.Path);

        Assert.AreEqual(15, train.Count);
        Assert.AreEqual((32, 32, 3), (train.Height, train.Width, train.Channels));
        CollectionAssert.AreEqual(Cifar10.DefaultClassNames.ToArray(), train.ClassNames);
        int image = 0;
        for (int b = 1; b <= 5; b++)
        {
            foreach (var (label, pixels) in CifarBytes.Records(b, 3))
            {
                Assert.AreEqual(label, train.Labels[image], $"label of image {image}");
                CollectionAssert.AreEqual(pixels, train.GetImage(image).ToArray(), $"pixels of image {image}");
                image++;
            }
        }
    }

    [TestMethod]
    public void LoadTestReadsTheTestBatchAndFeaturesAreScaledPlanes()
    {
        using var temp = new TempFolder();
        CifarBytes.WriteFolder(temp.Path, batches: 0, recordsPerBatch: 4, withTestBatch: true);
        var mlContext = new MLContext(seed: 0);

        var test = Cifar10.LoadTest(temp.Path);
        var view = test.ToDataView(mlContext);
        var features = view.GetColumn<VBuffer<float>>(ImageDataset.FeaturesColumnName).Select(v => v.DenseValues().ToArray()).ToArray();
        var labels = view.GetColumn<ReadOnlyMemory<char>>(ImageDataset.LabelColumnName).Select(l => l.ToString()).ToArray();

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3072), view.Schema[ImageDataset.FeaturesColumnName].Type);
        CollectionAssert.AreEqual(new[] { "airplane", "automobile", "bird", "cat" }, labels);
        var expected = CifarBytes.Pattern(0, 2);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i] / 255f, features[2][i], $"value {i} of image 2");
    }

    [TestMethod]
    public void ClassNamesComeFromBatchesMetaTxt()
    {
        using var temp = new TempFolder();
        CifarBytes.WriteFolder(temp.Path, batches: 0, recordsPerBatch: 3, withTestBatch: true);
        File.WriteAllText(temp.File("batches.meta.txt"), "plane\ncar\r\n bird \nc3\nc4\nc5\nc6\nc7\nc8\nc9\n\n");

        var test = Cifar10.LoadTest(temp.Path);

        CollectionAssert.AreEqual(new[] { "plane", "car", "bird", "c3", "c4", "c5", "c6", "c7", "c8", "c9" }, test.ClassNames);
        Assert.AreEqual("car", test.ClassNames[test.Labels[1]]);
    }

    [TestMethod]
    public void TruncatedBatchIsRejectedNamingFileAndByteOffset()
    {
        using var temp = new TempFolder();
        CifarBytes.WriteFolder(temp.Path, batches: 5, recordsPerBatch: 3, withTestBatch: false);
        var path = temp.File("data_batch_4.bin");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(2 * 3073 + 100)]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.LoadTrain(temp.Path));

        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, "byte offset 6146");
        StringAssert.Contains(error.Message, "truncated");
    }

    [TestMethod]
    public void LabelWithoutAClassNameIsRejectedNamingFileAndByteOffset()
    {
        using var temp = new TempFolder();
        var records = CifarBytes.Records(0, 3);
        records[2] = (10, records[2].Pixels);
        File.WriteAllBytes(temp.File("test_batch.bin"), CifarBytes.Batch(records));

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.LoadTest(temp.Path));

        StringAssert.Contains(error.Message, temp.File("test_batch.bin"));
        StringAssert.Contains(error.Message, "label 10");
        StringAssert.Contains(error.Message, "byte offset 6146");
    }

    [TestMethod]
    public void MissingBatchesAndFoldersGiveClearErrors()
    {
        using var temp = new TempFolder();
        CifarBytes.WriteFolder(temp.Path, batches: 3, recordsPerBatch: 1, withTestBatch: false);

        var missingBatch = Assert.ThrowsExactly<FileNotFoundException>(() => Cifar10.LoadTrain(temp.Path));
        var missingTest = Assert.ThrowsExactly<FileNotFoundException>(() => Cifar10.LoadTest(temp.Path));
        Assert.ThrowsExactly<DirectoryNotFoundException>(() => Cifar10.LoadTest(temp.File("absent")));

        StringAssert.Contains(missingBatch.Message, "data_batch_4.bin");
        StringAssert.Contains(missingTest.Message, "test_batch.bin");
    }

    [TestMethod]
    public void ArchiveSubFolderIsFound()
    {
        using var temp = new TempFolder();
        var nested = Directory.CreateDirectory(temp.File("cifar-10-batches-bin")).FullName;
        CifarBytes.WriteFolder(nested, batches: 0, recordsPerBatch: 2, withTestBatch: true);

        Assert.AreEqual(2, Cifar10.LoadTest(temp.Path).Count);
    }
}
