using Cs231n.MLNet.Reporting;
using Microsoft.ML.Data;
using SkiaSharp;

namespace Cs231n.MLNet.Tests.Reporting;

[TestClass]
public sealed class WeightImageGridTests
{
    private static readonly string[] FashionClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Ten 28×28 "templates": a positive blob per class on a negative background, in different places.</summary>
    private static float[][] Templates()
    {
        var random = new Random(4);
        return Enumerable.Range(0, 10).Select(c =>
        {
            var w = new float[28 * 28];
            for (var y = 0; y < 28; y++)
                for (var x = 0; x < 28; x++)
                {
                    var dx = x - (6 + 2 * c);
                    var dy = y - (20 - c);
                    w[y * 28 + x] = (float)(Math.Exp(-(dx * dx + dy * dy) / 30.0) - 0.2 + 0.05 * random.NextDouble());
                }
            w[0] = 2f;   // the brightest weight of every template, top-left
            w[1] = -1f;  // the darkest, just right of it
            return w;
        }).ToArray();
    }

    [TestMethod]
    public void Templates_AreUpscaledNearestNeighbour_AndStretchedPerImage()
    {
        var path = Path.Combine(PngAssert.OutputFolder, "templates.png");

        WeightImageGrid.Save(path, Templates(), new WeightImageOptions { Captions = FashionClasses, Title = "Linear classifier templates" });

        using var bitmap = PngAssert.IsValidPng(path, minWidth: 1000, minHeight: 120);
        // Automatic scale 4, padding 6, title band 40: template 0 starts at (6, 46), template 3 at (6 + 3 × 118, 46).
        foreach (var left in new[] { 6, 6 + 3 * 118 })
        {
            Assert.AreEqual(new SKColor(255, 255, 255), bitmap.GetPixel(left + 3, 46 + 3), "the largest weight maps to white");
            Assert.AreEqual(new SKColor(0, 0, 0), bitmap.GetPixel(left + 4, 46), "the smallest weight maps to black, with a sharp edge");
            Assert.AreEqual(new SKColor(0, 0, 0), bitmap.GetPixel(left + 7, 46 + 3));
        }
        Assert.IsGreaterThan(50, PngAssert.DarkPixels(bitmap, new SKRectI(6, 46 + 112, 6 + 112, 46 + 112 + 24)), "the caption is drawn under the template");
    }

    [TestMethod]
    public void ColourImages_ReadChannelMajorAndInterleavedLayoutsAlike()
    {
        const int side = 8;
        var channelMajor = new float[side * side * 3];
        var interleaved = new float[side * side * 3];
        for (var p = 0; p < side * side; p++)
        {
            // Left half red, right half blue.
            var red = p % side < side / 2 ? 1f : 0f;
            channelMajor[p] = red;
            channelMajor[2 * side * side + p] = 1 - red;
            interleaved[p * 3] = red;
            interleaved[p * 3 + 2] = 1 - red;
        }
        var options = new WeightImageOptions { ImageHeight = side, ImageWidth = side, Channels = 3, Scale = 4, Padding = 0 };

        var a = WeightImageGrid.Render([channelMajor], options);
        options.Layout = PixelLayout.Interleaved;
        var b = WeightImageGrid.Render([interleaved], options);

        using var bitmapA = PngAssert.IsValidPng(a, minWidth: 32, minHeight: 32);
        using var bitmapB = PngAssert.IsValidPng(b, minWidth: 32, minHeight: 32);
        Assert.AreEqual(new SKColor(255, 0, 0), bitmapA.GetPixel(3, 10));
        Assert.AreEqual(new SKColor(0, 0, 255), bitmapA.GetPixel(20, 10));
        for (var y = 0; y < 32; y++)
            for (var x = 0; x < 32; x++)
                Assert.AreEqual(bitmapA.GetPixel(x, y), bitmapB.GetPixel(x, y));
    }

    [TestMethod]
    public void FirstLayerWeights_OfManyHiddenUnits_FormASquareGrid()
    {
        var random = new Random(5);
        var w1 = new float[28 * 28, 100]; // inputs × hidden, as CS231n's W1
        for (var i = 0; i < w1.GetLength(0); i++)
            for (var j = 0; j < w1.GetLength(1); j++)
                w1[i, j] = (float)(random.NextDouble() - 0.5) + ((i / 28 + j) % 10 < 3 ? 0.8f : 0f);
        var path = Path.Combine(PngAssert.OutputFolder, "first-layer-weights.png");

        WeightImageGrid.Save(path, WeightImageGrid.Columns(w1), new WeightImageOptions { Title = "First-layer weights (100 hidden units)" });

        using var bitmap = PngAssert.IsValidPng(path, minWidth: 500, minHeight: 500);
        Assert.AreEqual(10 * 56 + 11 * 6, bitmap.Width, "ten columns of 56-pixel tiles with padding");
    }

    [TestMethod]
    public void MLNetWeightVectors_RenderLikeTheirDenseValues()
    {
        var dense = Templates();
        var sparse = dense.Select(w =>
        {
            var indices = Enumerable.Range(0, w.Length).Where(i => w[i] != 0).ToArray();
            return new VBuffer<float>(w.Length, indices.Length, indices.Select(i => w[i]).ToArray(), indices);
        }).ToArray();

        CollectionAssert.AreEqual(WeightImageGrid.Render(dense), WeightImageGrid.Render(sparse));
    }

    [TestMethod]
    public void BadInput_IsRejectedNamingTheProblem()
    {
        var wrongLength = Assert.ThrowsExactly<ArgumentException>(() => WeightImageGrid.Render([new float[785]]));
        StringAssert.Contains(wrongLength.Message, "Weight vector 0 has 785 values but the image shape 28×28×1 needs 784");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => WeightImageGrid.Render(Array.Empty<float[]>())).Message, "no weight vectors");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            WeightImageGrid.Render([new float[784 * 2]], new WeightImageOptions { Channels = 2 })).Message, "'Channels' option must be 1 or 3; got 2");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            WeightImageGrid.Render([new float[784]], new WeightImageOptions { Captions = ["a", "b"] })).Message, "2 captions for 1 images");
    }
}
