using Cs231n.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.Data;

/// <summary>
/// The CIFAR-10 loader's <c>Features</c> must match what ML.NET ImageAnalytics produces for the same picture, so a
/// model trained on one accepts the other. One image is saved both as a CIFAR record and as a PNG, and the PNG goes
/// through <c>LoadImages → ExtractPixels</c>.
/// </summary>
[TestClass]
public sealed class PixelOrderTests
{
    [TestMethod]
    public void CifarFeaturesEqualExtractPixelsWithDefaultOrderScaledBy1Over255()
    {
        using var temp = new TempFolder();
        var (pixels, cifarFeatures, pngPath) = WriteBothForms(temp);
        var mlContext = new MLContext(seed: 0);

        var extracted = ExtractPixels(mlContext, pngPath, scaleImage: 1f / 255);

        Assert.HasCount(cifarFeatures.Length, extracted);
        for (int i = 0; i < extracted.Length; i++)
        {
            // ExtractPixels multiplies by the scale; the loader divides by 255: both round to the nearest float.
            Assert.AreEqual(cifarFeatures[i], extracted[i], 1e-6f, $"value {i} (channel {i / 1024}, row {i % 1024 / 32}, column {i % 32})");
            Assert.AreEqual(pixels[i], (byte)MathF.Round(extracted[i] * 255f), $"byte {i}");
        }
    }

    [TestMethod]
    public void ExtractPixelsDefaultsAreRedGreenBluePlanesOfRawBytes()
    {
        using var temp = new TempFolder();
        var (pixels, _, pngPath) = WriteBothForms(temp);

        var extracted = ExtractPixels(new MLContext(seed: 0), pngPath, scaleImage: 1f);

        CollectionAssert.AreEqual(pixels.Select(b => (float)b).ToArray(), extracted,
            "ExtractPixels with defaults (RGB, ARGB order, not interleaved, offset 0, scale 1) should give the R, G and B planes, as CIFAR-10 stores them.");
    }

    private static (byte[] Pixels, float[] CifarFeatures, string PngPath) WriteBothForms(TempFolder temp)
    {
        // Different values in every plane and position, so swapped channels or transposed rows show.
        var pixels = new byte[3 * 32 * 32];
        var random = new Random(42);
        random.NextBytes(pixels);
        File.WriteAllBytes(temp.File("test_batch.bin"), CifarBytes.Batch([(3, pixels)]));
        var folder = Directory.CreateDirectory(temp.File("png", "cat")).FullName;
        var pngPath = Path.Combine(folder, "image.png");
        PngFiles.WriteRgbPlanes(pngPath, pixels, 32, 32);

        var cifar = Cifar10.LoadTest(temp.Path);
        var view = cifar.ToDataView(new MLContext(seed: 0));
        var features = view.GetColumn<VBuffer<float>>(ImageDataset.FeaturesColumnName).Single().DenseValues().ToArray();
        return (pixels, features, pngPath);
    }

    private static float[] ExtractPixels(MLContext mlContext, string pngPath, float scaleImage)
    {
        var root = Path.GetDirectoryName(Path.GetDirectoryName(pngPath))!;
        var images = ImageFolder.Load(mlContext, root);
        var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder: "", ImageFolder.ImagePathColumnName)
            .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: 32, imageHeight: 32))
            .Append(mlContext.Transforms.ExtractPixels("Pixels", "Image", scaleImage: scaleImage));
        var transformed = pipeline.Fit(images).Transform(images);
        return transformed.GetColumn<VBuffer<float>>("Pixels").Single().DenseValues().ToArray();
    }
}
