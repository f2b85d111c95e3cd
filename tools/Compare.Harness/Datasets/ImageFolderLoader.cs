using Compare.CommandLine;
using Cs231n.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using SkiaSharp;

namespace Compare.Datasets;

/// <summary>
/// Loads a folder of images, one sub-folder per class, through ML.NET ImageAnalytics
/// (<c>LoadImages → ResizeImages → ExtractPixels</c>) into the same in-memory form as the IDX and CIFAR-10 loaders,
/// so every contender sees identical pixels and the weight pictures know the image shape.
/// </summary>
internal static class ImageFolderLoader
{
    private const int LargestKeptSide = 64;
    private const int DefaultSide = 32;
    private const int TestEvery = 5;

    /// <summary>
    /// Uses <c>train/</c> and <c>test/</c> sub-folders when both exist; otherwise puts every fifth image of each class
    /// (in file-name order) into the test set — a deterministic, stratified 80/20 split.
    /// </summary>
    public static ComparisonData Load(MLContext mlContext, string root, int? imageSize)
    {
        string trainRoot = Path.Combine(root, "train"), testRoot = Path.Combine(root, "test");
        bool presplit = Directory.Exists(trainRoot) && Directory.Exists(testRoot);
        var trainEntries = ImageFolder.List(presplit ? trainRoot : root);
        var classNames = trainEntries.Select(e => e.Label).Distinct(StringComparer.Ordinal).ToArray();
        IReadOnlyList<ImageFolderEntry> testEntries;
        if (presplit)
        {
            testEntries = ImageFolder.List(testRoot);
            var unknown = testEntries.Select(e => e.Label).Distinct().Except(classNames).ToArray();
            if (unknown.Length > 0)
                throw new UsageException($"'{testRoot}' has class folder(s) {string.Join(", ", unknown)} that '{trainRoot}' lacks; train and test need the same classes.");
        }
        else
        {
            var positions = trainEntries.GroupBy(e => e.Label).SelectMany(g => g.Select((entry, i) => (entry, i))).ToArray();
            testEntries = positions.Where(p => p.i % TestEvery == TestEvery - 1).Select(p => p.entry).ToArray();
            trainEntries = positions.Where(p => p.i % TestEvery != TestEvery - 1).Select(p => p.entry).ToArray();
            if (testEntries.Count == 0)
                throw new UsageException($"'{root}' has fewer than {TestEvery} images per class; add images or give train/ and test/ folders.");
        }

        var (height, width, channels) = ChooseShape(trainEntries[0].Path, imageSize);
        var train = Extract(mlContext, trainEntries, classNames, height, width, channels);
        var test = Extract(mlContext, testEntries, classNames, height, width, channels);
        string split = presplit ? "train/ and test/ folders" : $"every {TestEvery}th image per class held out";
        return new ComparisonData($"images in {root} ({split}, loaded with ImageAnalytics)", train, test);
    }

    /// <summary>Small images keep their size; grayscale files give one channel, others red, green and blue.</summary>
    private static (int Height, int Width, int Channels) ChooseShape(string firstImage, int? imageSize)
    {
        using var codec = SKCodec.Create(firstImage)
            ?? throw new UsageException($"'{firstImage}' is not an image SkiaSharp can decode; fix or remove it.");
        var info = codec.Info;
        int channels = info.ColorType == SKColorType.Gray8 ? 1 : 3;
        if (imageSize is { } side)
            return (side, side, channels);
        bool small = info.Width <= LargestKeptSide && info.Height <= LargestKeptSide;
        return small ? (info.Height, info.Width, channels) : (DefaultSide, DefaultSide, channels);
    }

    private static ImageDataset Extract(MLContext mlContext, IReadOnlyList<ImageFolderEntry> entries, string[] classNames, int height, int width, int channels)
    {
        var listing = mlContext.Data.LoadFromEnumerable(entries.Select(e => new ImageRow { ImagePath = e.Path, Label = e.Label }));
        var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder: "", nameof(ImageRow.ImagePath))
            .Append(mlContext.Transforms.ResizeImages("Image", width, height, "Image"))
            .Append(mlContext.Transforms.ExtractPixels("Features", "Image",
                colorsToExtract: channels == 1 ? ImagePixelExtractingEstimator.ColorBits.Red : ImagePixelExtractingEstimator.ColorBits.Rgb,
                scaleImage: 1f / 255));
        var features = pipeline.Fit(listing).Transform(listing);
        int length = height * width * channels;
        var pixels = new byte[(long)entries.Count * length];
        int row = 0;
        foreach (var values in features.GetColumn<float[]>("Features"))
        {
            for (int j = 0; j < length; j++)
                pixels[(long)row * length + j] = (byte)Math.Clamp(MathF.Round(values[j] * 255f), 0f, 255f);
            row++;
        }
        var classIndex = classNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var labels = entries.Select(e => classIndex[e.Label]).ToArray();
        return new ImageDataset(pixels, labels, height, width, channels, classNames);
    }

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";

        public string Label { get; set; } = "";
    }
}
