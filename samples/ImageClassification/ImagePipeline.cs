using Cs231n.MLNet;
using Cs231n.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Transforms.Image;

namespace ImageClassification;

/// <summary>The pipeline from an image path to a predicted class name.</summary>
internal static class ImagePipeline
{
    /// <summary>The sample works on Fashion-MNIST's size; other images are resized to it.</summary>
    public const int Side = 28;

    /// <summary>
    /// <c>LoadImages → ResizeImages → ExtractPixels</c> (one grey channel scaled to [0, 1]) <c>→ MapValueToKey →
    /// SubtractMeanImage</c>, then the trainer, then <c>MapKeyToValue</c> so the prediction is the class name again.
    /// </summary>
    public static IEstimator<ITransformer> Create(MLContext mlContext, IEstimator<ITransformer> trainer)
        => mlContext.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: ImageFolder.ImagePathColumnName)
            .Append(mlContext.Transforms.ResizeImages("Image", Side, Side))
            // The PNGs are grey, so R = G = B: one channel is the image.
            .Append(mlContext.Transforms.ExtractPixels("Features", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Append(mlContext.Transforms.Conversion.MapValueToKey(ImageFolder.LabelColumnName))
            .Append(mlContext.Transforms.SubtractMeanImage("Features"))
            // Decode each image once per fit, not once per pass over the data.
            .AppendCacheCheckpoint(mlContext)
            .Append(trainer)
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
}
