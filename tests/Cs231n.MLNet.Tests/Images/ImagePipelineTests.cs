using Cs231n.MLNet.Data;
using Cs231n.MLNet.Tests.Data;
using Cs231n.MLNet.Tests.TestSupport;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Cs231n.MLNet.Tests.Images;

/// <summary>
/// The sample's pipeline, end to end, on a generated 3-class PNG folder: image files → ImageAnalytics →
/// SubtractMeanImage → our kNN → class names; it fits, evaluates, saves, and reloads with identical scores.
/// </summary>
[TestClass]
public sealed class ImagePipelineTests
{
    private const int Side = 12;
    private static readonly string[] Classes = ["centre", "left", "top"];

    public sealed class ImageInput
    {
        public string ImagePath { get; set; } = "";

        public string Label { get; set; } = "";
    }

    public sealed class ImagePrediction
    {
        public string PredictedLabel { get; set; } = "";

        public float[] Score { get; set; } = [];
    }

    private static IEstimator<ITransformer> Pipeline(MLContext mlContext)
        => mlContext.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: ImageFolder.ImagePathColumnName)
            .Append(mlContext.Transforms.ResizeImages("Image", 10, 10))
            .Append(mlContext.Transforms.ExtractPixels("Features", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Append(mlContext.Transforms.Conversion.MapValueToKey(ImageFolder.LabelColumnName))
            .Append(mlContext.Transforms.SubtractMeanImage("Features"))
            .AppendCacheCheckpoint(mlContext)
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 3))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    [TestMethod]
    public void ImageFolderPipelineFitsEvaluatesSavesAndReloadsWithIdenticalScores()
    {
        using var temp = new TempFolder();
        WriteImages(temp.File("train"), perClass: 8, seed: 1);
        WriteImages(temp.File("test"), perClass: 4, seed: 2);
        var mlContext = new MLContext(seed: 0);
        var train = ImageFolder.Load(mlContext, temp.File("train"), validateImages: true);
        var test = ImageFolder.Load(mlContext, temp.File("test"));

        var model = Pipeline(mlContext).Fit(train);
        var scored = model.Transform(test);
        var metrics = mlContext.MulticlassClassification.Evaluate(scored);
        Assert.IsTrue(metrics.MicroAccuracy >= 11.0 / 12, $"accuracy {metrics.MicroAccuracy:F3} on three unmistakable bright regions");
        Assert.AreEqual(3, metrics.ConfusionMatrix.NumberOfClasses);

        var meanImage = ((IEnumerable<ITransformer>)model).OfType<MeanImageTransformer>().Single();
        Assert.AreEqual(24L, meanImage.TrainingRowCount);
        Assert.AreEqual(100, meanImage.FeatureCount);

        string modelPath = temp.File("model.zip");
        mlContext.Model.SaveAtomically(model, train.Schema, modelPath);
        var fresh = new MLContext(seed: 5);
        var reloaded = fresh.Model.Load(modelPath, out var inputSchema);
        CollectionAssert.AreEqual(train.Schema.Select(c => c.Name).ToList(), inputSchema.Select(c => c.Name).ToList());
        var rescored = reloaded.Transform(ImageFolder.Load(fresh, temp.File("test")));

        var expectedScores = ScoreReader.Scores(scored);
        ScoreReader.AssertBitIdentical(expectedScores, ScoreReader.Scores(rescored));
        var expectedLabels = Labels(scored);
        CollectionAssert.AreEqual(expectedLabels, Labels(rescored));

        // One image path through a PredictionEngine on the reloaded model gives the same answer.
        var engine = fresh.Model.CreatePredictionEngine<ImageInput, ImagePrediction>(reloaded);
        var paths = ImageFolder.List(temp.File("test")).Select(e => e.Path).ToList();
        for (int i = 0; i < paths.Count; i++)
        {
            var prediction = engine.Predict(new ImageInput { ImagePath = paths[i] });
            Assert.AreEqual(expectedLabels[i], prediction.PredictedLabel, paths[i]);
            ScoreReader.AssertBitIdentical([expectedScores[i]], [prediction.Score]);
        }
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        engine.OutputSchema["Score"].GetSlotNames(ref slotNames);
        CollectionAssert.AreEquivalent(Classes, slotNames.DenseValues().Select(v => v.ToString()).ToArray());
    }

    private static List<string> Labels(IDataView scored)
        => scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString()).ToList();

    /// <summary>A bright centre square, left half or top half on a dark ground, with pixel noise so no two images are alike.</summary>
    internal static void WriteImages(string root, int perClass, int seed)
    {
        var random = new Random(seed);
        foreach (string name in Classes)
        {
            string folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
            for (int n = 0; n < perClass; n++)
            {
                var pixels = new byte[Side * Side];
                for (int y = 0; y < Side; y++)
                {
                    for (int x = 0; x < Side; x++)
                    {
                        bool on = name switch
                        {
                            "top" => y < Side / 2,
                            "left" => x < Side / 2,
                            _ => x >= Side / 4 && x < 3 * Side / 4 && y >= Side / 4 && y < 3 * Side / 4,
                        };
                        pixels[y * Side + x] = (byte)Math.Clamp((on ? 220 : 40) + random.Next(-60, 61), 0, 255);
                    }
                }
                PngFiles.WriteGray(Path.Combine(folder, $"{n:D3}.png"), pixels, Side, Side);
            }
        }
    }
}
