using Cs231n.MLNet.Reporting;
using Cs231n.MLNet.Tests.Tuning;
using Microsoft.ML;

namespace Cs231n.MLNet.Tests.Reporting;

[TestClass]
public sealed class ConfusionMatrixChartTests
{
    private static readonly string[] FashionClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    [TestMethod]
    public void Save_DrawsTenNamedClassesWithCounts()
    {
        var random = new Random(2);
        var counts = new int[10, 10];
        for (var a = 0; a < 10; a++)
            for (var p = 0; p < 10; p++)
                counts[a, p] = a == p ? 700 + random.Next(250) : random.Next(a is 0 or 2 or 4 or 6 && p is 0 or 2 or 4 or 6 ? 120 : 15);
        var path = Path.Combine(PngAssert.OutputFolder, "confusion-matrix.png");

        ConfusionMatrixChart.Save(path, counts, FashionClasses);

        using var bitmap = PngAssert.IsValidPng(path, minWidth: 800, minHeight: 700);
    }

    [TestMethod]
    public void Save_AcceptsMLNetsConfusionMatrix()
    {
        var mlContext = new MLContext(seed: 1);
        var data = BlobData.Create(mlContext, rowsPerClass: 40, noise: 1.2f);
        var model = BlobData.LabelToKey(mlContext).Append(mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy()).Fit(data);
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(data));
        var path = Path.Combine(PngAssert.OutputFolder, "confusion-matrix-mlnet.png");

        ConfusionMatrixChart.Save(path, metrics.ConfusionMatrix, ["first", "second", "third"]);

        using var bitmap = PngAssert.IsValidPng(path);
        var names = Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrixChart.Render(metrics.ConfusionMatrix, ["only one"]));
        StringAssert.Contains(names.Message, "There are 1 class names for a 3-class confusion matrix");
    }

    [TestMethod]
    public void BadMatrices_AreRejected()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrixChart.Render(new int[2, 3])).Message, "must be square and non-empty; got 2×3");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrixChart.Render(new[,] { { 1, -1 }, { 0, 1 } })).Message, "negative count -1 at [0, 1]");
    }
}
