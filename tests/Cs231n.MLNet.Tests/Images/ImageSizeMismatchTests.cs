using Cs231n.MLNet.Data;
using Cs231n.MLNet.Tests.Data;
using Microsoft.ML;
using Microsoft.ML.Transforms.Image;

namespace Cs231n.MLNet.Tests.Images;

/// <summary>A model trained on images of one size, given the pixels of another size at prediction, says so.</summary>
[TestClass]
public sealed class ImageSizeMismatchTests
{
    private static IEstimator<ITransformer> Featurize(MLContext mlContext, int side)
        => mlContext.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: ImageFolder.ImagePathColumnName)
            .Append(mlContext.Transforms.ResizeImages("Image", side, side))
            .Append(mlContext.Transforms.ExtractPixels("Features", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Append(mlContext.Transforms.Conversion.MapValueToKey(ImageFolder.LabelColumnName));

    [TestMethod]
    public void PixelsOfAnotherSizeAtPredictionAreNamedWithBothSizesAndTheFix()
    {
        using var temp = new TempFolder();
        ImagePipelineTests.WriteImages(temp.File("images"), perClass: 3, seed: 1);
        var mlContext = new MLContext(seed: 0);
        var images = ImageFolder.Load(mlContext, temp.File("images"));
        var trained = mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 3)
            .Fit(Featurize(mlContext, 10).Fit(images).Transform(images));

        var otherSize = Featurize(mlContext, 12).Fit(images).Transform(images);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trained.Transform(otherSize));
        StringAssert.Contains(error.Message, "Feature column 'Features' has 144 values per row but the model was trained on 100");
        StringAssert.Contains(error.Message, "ResizeImages");
        Assert.AreEqual("Features", error.ParamName);
    }
}
