using Cs231n.MLNet.Data;
using Cs231n.MLNet.Tests.Data;
using Microsoft.ML;
using Microsoft.ML.Transforms.Image;

namespace Cs231n.MLNet.Tests.Onnx;

/// <summary>
/// Image pipelines: ML.NET's LoadImages, ResizeImages and ExtractPixels cannot be exported, so a whole image pipeline
/// must refuse (not write a broken file), and the documented pattern — fit and export everything after them on a
/// cached view of pixel vectors — must give an ONNX model that takes pixel vectors and answers as the image pipeline.
/// </summary>
[TestClass]
public sealed class OnnxImagePipelineTests
{
    private const int Side = 28;

    private static string Images(string part) => Path.Combine(AppContext.BaseDirectory, "data", "images", part);

    /// <summary>Image path → pixel vectors: the part that stays in ML.NET (or on the serving side).</summary>
    private static IEstimator<ITransformer> Pixels(MLContext ml)
        => ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: ImageFolder.ImagePathColumnName)
            .Append(ml.Transforms.ResizeImages("Image", Side, Side))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255));

    /// <summary>Pixel vectors → class name: the part that is exported.</summary>
    private static IEstimator<ITransformer> Model(MLContext ml)
        => ml.Transforms.Conversion.MapValueToKey(ImageFolder.LabelColumnName)
            .Append(ml.Transforms.SubtractMeanImage("Features"))
            .Append(ml.MulticlassClassification.Trainers.Softmax(numberOfEpochs: 5, batchSize: 32))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    [TestMethod]
    public void AWholeImagePipelineRefusesToExport()
    {
        var ml = new MLContext(seed: 1);
        var train = ImageFolder.Load(ml, Images("train"));
        var model = Pixels(ml).Append(ml.Transforms.SelectColumns("Label", "Features")).Append(Model(ml)).Fit(train);
        using var stream = new MemoryStream();
        var error = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.ConvertToOnnx(model, train, stream));
        StringAssert.Contains(error.Message, "cannot be exported");
        StringAssert.Contains(error.Message, "pixel vectors");
        Assert.AreEqual(0, stream.Length, "nothing may be written");
    }

    [TestMethod]
    public void EverythingAfterExtractPixelsExportsFromACachedPixelView()
    {
        var ml = new MLContext(seed: 1);
        var trainImages = ImageFolder.Load(ml, Images("train"));
        var testImages = ImageFolder.Load(ml, Images("test"));
        // The cached view's columns become the graph's inputs: keep only what the model reads.
        var pixels = Pixels(ml).Append(ml.Transforms.SelectColumns("Label", "Features")).Fit(trainImages);
        var trainPixels = ml.Data.Cache(pixels.Transform(trainImages));
        var testPixels = ml.Data.Cache(pixels.Transform(testImages));

        var model = Model(ml).Fit(trainPixels);
        using var temp = new TempFolder();
        string path = temp.File("model.onnx");
        OnnxRoundTrip.Export(ml, model, trainPixels, path);

        // The ONNX model takes the pixel vectors; through it the test images get the image pipeline's answers.
        var onnx = OnnxRoundTrip.Score(ml, path, testPixels);
        var ours = OnnxRoundTrip.Ours(pixels.Append(model), testImages);
        OnnxRoundTrip.AssertAgree(ours, onnx, "image pipeline exported after ExtractPixels");
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        CollectionAssert.AreEquivalent(new[] { "Features", "Label" }, session.InputMetadata.Keys.ToArray());
        // ExtractPixels' shape (channels × height × width) is kept: [batch, 1, 28, 28]; the graph flattens it.
        CollectionAssert.AreEqual(new[] { 1, Side, Side }, session.InputMetadata["Features"].Dimensions.Skip(1).ToArray());
    }
}
