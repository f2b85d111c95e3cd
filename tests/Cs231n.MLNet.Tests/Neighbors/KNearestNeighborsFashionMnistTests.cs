using Microsoft.ML;
using Cs231n.MLNet.Data;

namespace Cs231n.MLNet.Tests.Neighbors;

/// <summary>kNN learns Fashion-MNIST: on the bundled subset always, on the full set when it is installed.</summary>
[TestClass]
public sealed class KNearestNeighborsFashionMnistTests
{
    private static double TestAccuracy(ImageDataset train, ImageDataset test, int k, KnnDistance distance)
    {
        var mlContext = new MLContext(seed: 0);
        // Keys in the dataset's own class order (0 = T-shirt/top … 9 = Ankle boot), so that vote ties go to the
        // smallest original label, as in scikit-learn; MapValueToKey's default numbers classes by first occurrence.
        var classOrder = mlContext.Data.LoadFromEnumerable(FashionMnist.ClassNames.Select(name => new ClassName { Label = name }));
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label", keyData: classOrder)
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: k, distance: distance))
            .Fit(train.ToDataView(mlContext));
        return mlContext.MulticlassClassification.Evaluate(model.Transform(test.ToDataView(mlContext))).MicroAccuracy;
    }

    [TestMethod]
    public void LearnsTheBundledSubset()
    {
        // 2,000 training images: 5-fold cross-validation puts k=5/L2 near 0.78 and k=8/L1 near 0.80.
        double l2 = TestAccuracy(BundledData.FashionMnistTrain(), BundledData.FashionMnistTest(), 5, KnnDistance.L2);
        Assert.IsTrue(l2 >= 0.76, $"k=5, L2 test accuracy {l2:F4}");
    }

    [TestMethod]
    [TestCategory("Long")]
    public void MatchesScikitLearnOnFullFashionMnist()
    {
        if (!FashionMnist.TryFindInstalled(out string directory))
            Assert.Inconclusive("Full Fashion-MNIST is not installed; install it with: apt-get install dataset-fashion-mnist");
        double accuracy = TestAccuracy(FashionMnist.LoadTrain(directory), FashionMnist.LoadTest(directory), 5, KnnDistance.L2);
        // scikit-learn's KNeighborsClassifier(5) and faiss IndexFlatL2 give 0.8554 on the same data.
        Assert.AreEqual(0.8554, accuracy, 1e-9, "exact search must give exactly scikit-learn's accuracy");
    }

    private sealed class ClassName
    {
        public string Label { get; set; } = "";
    }
}
