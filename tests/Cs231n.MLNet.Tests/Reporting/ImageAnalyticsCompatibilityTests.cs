using Cs231n.MLNet.Reporting;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.Reporting;

/// <summary>
/// Charts and ML.NET's image loading both use SkiaSharp; a second SkiaSharp major version in the process breaks
/// ImageAnalytics at run time, so both are exercised in one process here.
/// </summary>
[TestClass]
public sealed class ImageAnalyticsCompatibilityTests
{
    private sealed class ImagePath
    {
        public string Path { get; set; } = "";
    }

    private sealed class Pixels
    {
        [VectorType(3 * 16 * 16)]
        public float[] Features { get; set; } = [];
    }

    [TestMethod]
    public void ChartsAndImageAnalytics_WorkInOneProcess()
    {
        Assert.AreEqual(2, typeof(SkiaSharp.SKBitmap).Assembly.GetName().Version!.Major, "ImageAnalytics 5.0.1 needs SkiaSharp 2.x");
        var folder = Path.Combine(PngAssert.OutputFolder, "image-analytics");
        Directory.CreateDirectory(folder);
        TrainingHistoryChart.Save(Path.Combine(folder, "chart-before.png"), [2.3f, 1.7f, 1.2f, 0.9f]);

        // An 8×8 image, left half red and right half blue, written 32×32 by the weight renderer.
        var weights = new float[3 * 8 * 8];
        for (var p = 0; p < 64; p++)
        {
            weights[p] = p % 8 < 4 ? 1 : 0;
            weights[128 + p] = p % 8 < 4 ? 0 : 1;
        }
        WeightImageGrid.Save(Path.Combine(folder, "input.png"), [weights],
            new WeightImageOptions { ImageHeight = 8, ImageWidth = 8, Channels = 3, Scale = 4, Padding = 0 });

        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable([new ImagePath { Path = "input.png" }]);
        var pipeline = mlContext.Transforms.LoadImages("Image", folder, nameof(ImagePath.Path))
            .Append(mlContext.Transforms.ResizeImages("Image", 16, 16))
            .Append(mlContext.Transforms.ExtractPixels("Features", "Image"));
        var pixels = mlContext.Data.CreateEnumerable<Pixels>(pipeline.Fit(data).Transform(data), reuseRowObject: false).Single().Features;

        // ExtractPixels writes channel-major red, green, blue planes of 16×16.
        Assert.AreEqual(255f, pixels[0 * 256 + 5 * 16 + 2], "red plane, left half");
        Assert.AreEqual(0f, pixels[0 * 256 + 5 * 16 + 13], "red plane, right half");
        Assert.AreEqual(0f, pixels[2 * 256 + 5 * 16 + 2], "blue plane, left half");
        Assert.AreEqual(255f, pixels[2 * 256 + 5 * 16 + 13], "blue plane, right half");
        Assert.IsTrue(pixels.Skip(256).Take(256).All(v => v == 0), "green plane is empty");

        TrainingHistoryChart.Save(Path.Combine(folder, "chart-after.png"), [2.3f, 1.7f, 1.2f, 0.9f]);
        PngAssert.IsValidPng(Path.Combine(folder, "chart-after.png")).Dispose();
    }
}
