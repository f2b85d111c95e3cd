using Cs231n.MLNet.Reporting;
using Cs231n.MLNet.Tests.Tuning;
using Cs231n.MLNet.Tuning;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using SkiaSharp;

namespace Cs231n.MLNet.Tests.Reporting;

[TestClass]
public sealed class CrossValidationChartTests
{
    [TestMethod]
    public void Save_DrawsAccuracyAgainstK_OneLinePerDistance_WithATitle()
    {
        var random = new Random(3);
        var series = new[] { "distance=L1", "distance=L2" }.Select((name, d) =>
        {
            var line = new CrossValidationSeries(name);
            foreach (var k in new[] { 1, 3, 5, 8, 10, 12, 15, 20 })
                line.Add(k, Enumerable.Range(0, 5).Select(_ => 0.28 - 0.02 * d - 0.002 * k + 0.015 * random.NextDouble()).ToArray());
            return line;
        }).ToArray();
        var path = Path.Combine(PngAssert.OutputFolder, "cv-curve.png");

        CrossValidationChart.Save(path, series, "k", "Cross-validated accuracy", new ChartOptions { Title = "Cross-validation on k" });

        using var bitmap = PngAssert.IsValidPng(path, minWidth: 900, minHeight: 600, maxSide: 900);
        Assert.IsGreaterThan(100, PngAssert.DarkPixels(bitmap, new SKRectI(0, 0, bitmap.Width, 45)), "the title is drawn in the top band");
        Assert.IsTrue(HasColour(bitmap, SKColor.Parse("1f77b4")) && HasColour(bitmap, SKColor.Parse("ff7f0e")), "both lines are drawn in their colours");
    }

    [TestMethod]
    public void Save_FromASearchResult_GroupsTheOtherParametersIntoLines()
    {
        var mlContext = new MLContext(seed: 1);
        var data = BlobData.Create(mlContext, rowsPerClass: 20, noise: 1.2f);
        var grid = new ParameterGrid().Add("iterations", 1, 3, 10).Add("features", "Features", "Noise");
        var result = new ParameterSearch(mlContext).CrossValidate(data, grid.Settings(), s =>
            BlobData.LabelToKey(mlContext).Append(mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                new LbfgsMaximumEntropyMulticlassTrainer.Options
                {
                    FeatureColumnName = s.Get<string>("features"),
                    MaximumNumberOfIterations = s.Get<int>("iterations"),
                })),
            new ParameterSearchOptions { NumberOfFolds = 3 });
        var path = Path.Combine(PngAssert.OutputFolder, "cv-search-result.png");

        CrossValidationChart.Save(path, result, "iterations");

        using var bitmap = PngAssert.IsValidPng(path);
        var notNumeric = Assert.ThrowsExactly<ArgumentException>(() => CrossValidationChart.Render(result, "features"));
        StringAssert.Contains(notNumeric.Message, "'features' must be numeric to be an axis; setting 0 has String Features");
        var missing = Assert.ThrowsExactly<ArgumentException>(() => CrossValidationChart.Render(result, "k"));
        StringAssert.Contains(missing.Message, "has no parameter 'k'; choose one of: iterations, features");
    }

    [TestMethod]
    public void BadInput_IsRejected()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CrossValidationChart.Render([], "k", "accuracy")).Message, "at least one series");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CrossValidationChart.Render([new CrossValidationSeries("L1")], "k", "accuracy")).Message, "'L1' has no points");
        var line = new CrossValidationSeries("L1").Add(1, [0.5]);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CrossValidationChart.Render([line], "k", "a", new ChartOptions { Width = 10 })).Message,
            "The 'Width' option must be between 64 and 8192 pixels; got 10.");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CrossValidationChart.Save("chart.jpg", [line], "k", "a")).Message, "must end in '.png'");
    }

    private static bool HasColour(SKBitmap bitmap, SKColor colour)
    {
        for (var y = 0; y < bitmap.Height; y++)
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - colour.Red) < 8 && Math.Abs(c.Green - colour.Green) < 8 && Math.Abs(c.Blue - colour.Blue) < 8)
                    return true;
            }
        return false;
    }
}
