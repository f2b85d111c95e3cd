using Cs231n.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using static Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator;

namespace Cs231n.MLNet.Tests.Data;

/// <summary>The real Fashion-MNIST subset in the repository's <c>data/</c> folder, as promised in <c>data/README.md</c>.</summary>
[TestClass]
public sealed class BundledDataTests
{
    private static string ImagesFolder(string split)
    {
        Assert.IsTrue(BundledData.TryFindFashionMnist(out var idxFolder), "The bundled data/fashion-mnist folder was not found.");
        return Path.Combine(Path.GetDirectoryName(idxFolder)!, "images", split);
    }

    [TestMethod]
    public void BundledIdxSubsetHasThePromisedCountsAndBalance()
    {
        var train = BundledData.FashionMnistTrain();
        var test = BundledData.FashionMnistTest();

        Assert.AreEqual(2000, train.Count);
        Assert.AreEqual(500, test.Count);
        Assert.AreEqual((28, 28, 1), (train.Height, train.Width, train.Channels));
        CollectionAssert.AreEqual(Enumerable.Repeat(200, 10).ToArray(), train.CountPerClass());
        CollectionAssert.AreEqual(Enumerable.Repeat(50, 10).ToArray(), test.CountPerClass());
        CollectionAssert.AreEqual(FashionMnist.ClassNames.ToArray(), train.ClassNames);
        Assert.IsTrue(train.Pixels.Any(p => p > 200) && train.Pixels.Any(p => p == 0), "Real images have both background and bright pixels.");
    }

    [TestMethod]
    [DataRow("train", 100)]
    [DataRow("test", 20)]
    public void BundledImageFoldersHaveThePromisedCountsAndClassFolders(string split, int perClass)
    {
        var entries = ImageFolder.List(ImagesFolder(split));

        var counts = entries.GroupBy(e => e.Label).ToDictionary(g => g.Key, g => g.Count());
        CollectionAssert.AreEquivalent(FashionMnist.ClassFolderNames.ToArray(), counts.Keys.ToArray());
        Assert.IsTrue(counts.Values.All(c => c == perClass), string.Join(", ", counts.Select(p => $"{p.Key}: {p.Value}")));
        Assert.AreEqual("T-shirt/top", FashionMnist.FromFolderName("T-shirt_top"));
        Assert.AreEqual("Ankle boot", FashionMnist.FromFolderName("Ankle_boot"));
    }

    [TestMethod]
    [DataRow("train")]
    [DataRow("test")]
    public void BundledPngsAreTheFirstImagesOfEachClassOfTheIdxSubset(string split)
    {
        var idx = split == "train" ? BundledData.FashionMnistTrain() : BundledData.FashionMnistTest();
        var mlContext = new MLContext(seed: 0);
        var folder = ImageFolder.Load(mlContext, ImagesFolder(split), validateImages: true, folderToLabel: FashionMnist.FromFolderName);
        var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder: "", ImageFolder.ImagePathColumnName)
            .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: 28, imageHeight: 28))
            .Append(mlContext.Transforms.ExtractPixels("Pixels", "Image", colorsToExtract: ColorBits.Red));
        var pixels = pipeline.Fit(folder).Transform(folder);

        var labels = pixels.GetColumn<ReadOnlyMemory<char>>(ImageFolder.LabelColumnName).Select(l => l.ToString()).ToArray();
        var images = pixels.GetColumn<VBuffer<float>>("Pixels").Select(v => v.DenseValues().Select(f => (byte)f).ToArray()).ToArray();
        CollectionAssert.AreEquivalent(FashionMnist.ClassNames.ToArray(), labels.Distinct().ToArray(), "Labels should be the display names.");
        var nextOfClass = new Dictionary<string, int>();
        for (int i = 0; i < images.Length; i++)
        {
            int k = nextOfClass.GetValueOrDefault(labels[i]);
            nextOfClass[labels[i]] = k + 1;
            int classIndex = Array.IndexOf(idx.ClassNames, labels[i]);
            int idxImage = Enumerable.Range(0, idx.Count).Where(j => idx.Labels[j] == classIndex).ElementAt(k);
            CollectionAssert.AreEqual(idx.GetImage(idxImage).ToArray(), images[i], $"PNG {i} ({labels[i]} #{k})");
        }
    }
}
