using Cs231n.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.Data;

/// <summary>The full Fashion-MNIST as installed by the Debian package; inconclusive where it is not installed.</summary>
[TestClass]
public sealed class FullFashionMnistTests
{
    private static string InstalledFolder()
    {
        if (!FashionMnist.TryFindInstalled(out var folder))
            Assert.Inconclusive($"Fashion-MNIST is not installed in {FashionMnist.InstalledDirectory}; install with: apt-get install dataset-fashion-mnist");
        return folder;
    }

    [TestMethod]
    public void FullSetLoads60000TrainAnd10000TestBalancedImages()
    {
        var folder = InstalledFolder();

        var train = FashionMnist.LoadTrain(folder);
        var test = FashionMnist.LoadTest(folder);

        Assert.AreEqual(60_000, train.Count);
        Assert.AreEqual(10_000, test.Count);
        Assert.AreEqual(784, train.FeatureLength);
        CollectionAssert.AreEqual(Enumerable.Repeat(6000, 10).ToArray(), train.CountPerClass());
        CollectionAssert.AreEqual(Enumerable.Repeat(1000, 10).ToArray(), test.CountPerClass());
        Assert.AreEqual("Ankle boot", train.ClassNames[train.Labels[0]], "The first training image of Fashion-MNIST is an ankle boot.");
    }

    [TestMethod]
    public void FullTrainingViewStreamsEveryRow()
    {
        var train = FashionMnist.LoadTrain(InstalledFolder());
        var view = train.ToDataView(new MLContext(seed: 0));

        long rows = 0;
        double sum = 0;
        using var cursor = view.GetRowCursor(view.Schema);
        var features = cursor.GetGetter<VBuffer<float>>(view.Schema[ImageDataset.FeaturesColumnName]);
        var value = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            features(ref value);
            rows++;
            foreach (var f in value.GetValues())
                sum += f;
        }

        Assert.AreEqual(60_000L, rows);
        Assert.AreEqual(train.Pixels.Sum(b => (double)b) / 255, sum, 1e-3 * sum);
    }

    [TestMethod]
    public void BundledSubsetIsTheFirstImagesOfEachClassOfTheFullSet()
    {
        var folder = InstalledFolder();

        var expectedTrain = FashionMnist.LoadTrain(folder).TakeFirstPerClass(200);
        var expectedTest = FashionMnist.LoadTest(folder).TakeFirstPerClass(50);

        var bundledTrain = BundledData.FashionMnistTrain();
        var bundledTest = BundledData.FashionMnistTest();
        CollectionAssert.AreEqual(expectedTrain.Labels, bundledTrain.Labels);
        CollectionAssert.AreEqual(expectedTrain.Pixels, bundledTrain.Pixels);
        CollectionAssert.AreEqual(expectedTest.Labels, bundledTest.Labels);
        CollectionAssert.AreEqual(expectedTest.Pixels, bundledTest.Pixels);
    }
}
