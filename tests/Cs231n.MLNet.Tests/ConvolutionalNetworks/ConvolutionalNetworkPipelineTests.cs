using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Cs231n.MLNet.ConvolutionalNetworks;
using Cs231n.MLNet.Data;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Tests.Data;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.ConvolutionalNetworks;

/// <summary>
/// The convolutional network in the pipelines users build: image files through ImageAnalytics (grey and RGB, with
/// and without SubtractMeanImage), the CIFAR-10 loader, a PredictionEngine, and save → load in this and (for the loader, which needs no image package) a separate
/// process with bit-identical scores.
/// </summary>
[TestClass]
public sealed class ConvolutionalNetworkPipelineTests
{
    private const int Width = 12, Height = 8;
    private static readonly string[] Classes = ["centre", "left", "top"];

    private static ConvolutionalNetworkTrainer.Options SmallNetwork() => new()
    {
        Layers = [new Convolution(8, 3), new BatchNormalization(), new Activation(), new MaxPooling(2), new FullyConnected(16), new Activation()],
        NumberOfEpochs = 15, BatchSize = 8, LearningRate = 0.01, Seed = 3,
    };

    [TestMethod]
    [DataRow(false, false)]
    [DataRow(true, false)]
    [DataRow(false, true)]
    public void ImageFilesTrainPredictSaveAndReloadBitIdentically(bool rgb, bool subtractMean)
    {
        using var temp = new TempFolder();
        WriteImages(temp.File("train"), perClass: 10, seed: 1, rgb);
        WriteImages(temp.File("test"), perClass: 4, seed: 2, rgb);
        var mlContext = new MLContext(seed: 0);
        var train = ImageFolder.Load(mlContext, temp.File("train"));
        var test = ImageFolder.Load(mlContext, temp.File("test"));
        var options = SmallNetwork();
        IEstimator<ITransformer> pipeline = mlContext.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: ImageFolder.ImagePathColumnName)
            .Append(mlContext.Transforms.ResizeImages("Image", Width, Height))
            .Append(mlContext.Transforms.ExtractPixels("Features", "Image",
                colorsToExtract: rgb ? ImagePixelExtractingEstimator.ColorBits.Rgb : ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Append(mlContext.Transforms.Conversion.MapValueToKey(ImageFolder.LabelColumnName));
        if (subtractMean)
        {
            // The mean image drops the column's dimensions (and 8×12 is not square), so the shape is given.
            pipeline = pipeline.Append(mlContext.Transforms.SubtractMeanImage("Features"));
            options.ImageShape = [rgb ? 3 : 1, Height, Width];
        }
        pipeline = pipeline.AppendCacheCheckpoint(mlContext)
            .Append(mlContext.MulticlassClassification.Trainers.ConvolutionalNetwork(options))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        var model = pipeline.Fit(train);
        var cnn = ((IEnumerable<ITransformer>)model).OfType<MulticlassBatchPredictionTransformer<ConvolutionalNetworkModelParameters>>().Single().Model;
        // Without an image shape option the 8×12 shape can only have come from ExtractPixels' dimensions.
        Assert.AreEqual(new ImageShape(rgb ? 3 : 1, Height, Width), cnn.InputShape);
        var scored = model.Transform(test);
        var metrics = mlContext.MulticlassClassification.Evaluate(scored);
        Assert.IsGreaterThanOrEqualTo(11.0 / 12, metrics.MicroAccuracy, "three unmistakable bright regions");

        var expectedScores = ScoreReader.Scores(scored);
        var expectedLabels = scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString()).ToList();
        var engine = mlContext.Model.CreatePredictionEngine<Images.ImagePipelineTests.ImageInput, Images.ImagePipelineTests.ImagePrediction>(model);
        var paths = ImageFolder.List(temp.File("test")).Select(e => e.Path).ToList();
        for (int i = 0; i < paths.Count; i++)
        {
            var prediction = engine.Predict(new Images.ImagePipelineTests.ImageInput { ImagePath = paths[i] });
            Assert.AreEqual(expectedLabels[i], prediction.PredictedLabel, paths[i]);
            ScoreReader.AssertBitIdentical([expectedScores[i]], [prediction.Score]);
        }

        string modelPath = temp.File("model.zip");
        mlContext.Model.Save(model, train.Schema, modelPath);
        var fresh = new MLContext(seed: 9);
        var reloaded = fresh.Model.Load(modelPath, out _);
        ScoreReader.AssertBitIdentical(expectedScores, ScoreReader.Scores(reloaded.Transform(ImageFolder.Load(fresh, temp.File("test")))));
    }

    [TestMethod]
    public void Cifar10LoaderTrainsAnRgbNetworkWhoseModelExposesItsLayers()
    {
        using var temp = new TempFolder();
        // Each class gets its own colour cast on top of the loader tests' position pattern.
        var records = Enumerable.Range(0, 60).Select(i =>
        {
            byte label = (byte)(i % 3);
            byte[] pixels = CifarBytes.Pattern(1, i);
            for (int p = label * 1024; p < (label + 1) * 1024; p++)
                pixels[p] = (byte)Math.Min(255, pixels[p] / 4 + 190);
            return (label, pixels);
        }).ToList();
        File.WriteAllBytes(temp.File("data_batch_1.bin"), CifarBytes.Batch(records));
        var mlContext = new MLContext(seed: 0);
        var data = Cifar10.LoadBatches([temp.File("data_batch_1.bin")], Cifar10.DefaultClassNames).ToDataView(mlContext);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.25, seed: 1);
        var key = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(data);
        var options = SmallNetwork();
        options.NumberOfEpochs = 10;
        options.RandomShift = 2;
        options.HorizontalFlip = true;
        var transformer = mlContext.MulticlassClassification.Trainers.ConvolutionalNetwork(options).Fit(key.Transform(split.TrainSet));
        var model = transformer.Model;
        Assert.AreEqual(new ImageShape(3, 32, 32), model.InputShape, "3,072 values without dimensions are a square RGB image");
        var accuracy = mlContext.MulticlassClassification.Evaluate(transformer.Transform(key.Transform(split.TestSet))).MicroAccuracy;
        Assert.IsGreaterThanOrEqualTo(0.9, accuracy, "each class has its own colour cast");

        // Save → load in a separate process (which references no image package) scores bit-identically.
        var test = key.Transform(split.TestSet);
        string modelPath = temp.File("model.zip");
        mlContext.Model.Save(transformer, test.Schema, modelPath);
        TrainerWorkout.AssertSeparateProcessScores(mlContext, modelPath, test, ScoreReader.Scores(transformer.Transform(test)), temp.File(""));

        CollectionAssert.AreEqual(
            new[] { "Convolution 1/W", "Convolution 1/b", "BatchNormalization 1/gamma", "BatchNormalization 1/beta", "BatchNormalization 1/running_mean",
                "BatchNormalization 1/running_var", "FullyConnected 1/W", "FullyConnected 1/b", "Classifier/W", "Classifier/b" },
            model.Parameters.Select(p => $"{p.Layer}/{p.Name}").ToArray());
        var filters = model.FirstLayerFilters!.Value;
        Assert.AreEqual(8, filters.Filters);
        Assert.AreEqual(new ImageShape(3, 3, 3), filters.FilterShape);
        Assert.AreEqual(8 * 27, filters.Weights.Length);
        Assert.AreEqual(16 * 8 * 16 * 16, model.Parameters.Single(p => p.Layer == "FullyConnected 1" && p.Name == "W").Values.Length);
        Assert.IsTrue(model.Parameters.Single(p => p.Name == "running_var").Values.ToArray().All(v => v > 0 && v != 1), "running variances were learned");
        Assert.AreEqual(10, model.History.EpochsCompleted);
    }

    [TestMethod]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        float[] Train(int threads)
        {
            using var scope = new Numerics.NumericsSettingsScope(threads: threads);
            var mlContext = new MLContext(seed: 0);
            var (train, _) = Trainers.FashionMnistFiles.Bundled(mlContext);
            var rows = mlContext.Data.TakeRows(train, 256);
            var keyed = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(rows).Transform(rows);
            var options = SmallNetwork();
            options.NumberOfEpochs = 1;
            options.BatchSize = 64;
            options.RandomShift = 1;
            var model = mlContext.MulticlassClassification.Trainers.ConvolutionalNetwork(options).Fit(keyed).Model;
            return model.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();
        }
        CollectionAssert.AreEqual(Train(1), Train(2));
    }

    [TestMethod]
    public void TheBestValidationEpochKeepsItsBatchNormStatisticsWithItsWeights()
    {
        var mlContext = new MLContext(seed: 0);
        var (train, test) = Trainers.FashionMnistFiles.Bundled(mlContext);
        var key = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        var trainRows = key.Transform(mlContext.Data.TakeRows(train, 600));
        var validation = key.Transform(mlContext.Data.TakeRows(test, 200));
        var options = SmallNetwork();
        // A constant rate makes the validation accuracy wander, so the best epoch is often not the last one.
        options.NumberOfEpochs = 8;
        options.BatchSize = 16;
        options.CosineAnnealing = false;
        var transformer = mlContext.MulticlassClassification.Trainers.ConvolutionalNetwork(options).Fit(trainRows, validation);
        var history = transformer.Model.History;
        double accuracy = mlContext.MulticlassClassification.Evaluate(transformer.Transform(validation)).MicroAccuracy;
        TestContext.WriteLine($"best epoch {history.BestEpoch} of {history.EpochsCompleted}: {string.Join(", ", history.ValidationAccuracies.Select(a => a.ToString("F3")))}");
        // The kept model scores exactly what the solver measured at its best epoch: weights and running statistics match.
        Assert.AreEqual(history.ValidationAccuracies[history.BestEpoch - 1], accuracy, 1e-12);
        Assert.IsGreaterThan(0.4, accuracy, "the small network learned from 600 images (chance is 0.1)");
    }

    public TestContext TestContext { get; set; } = null!;

    /// <summary>A bright centre, left half or top half on a dark ground (in red for RGB, other channels noise), with pixel noise.</summary>
    private static void WriteImages(string root, int perClass, int seed, bool rgb)
    {
        var random = new Random(seed);
        foreach (string name in Classes)
        {
            string folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
            for (int n = 0; n < perClass; n++)
            {
                var pixels = new byte[(rgb ? 3 : 1) * Width * Height];
                for (int i = 0; i < pixels.Length; i++)
                {
                    int p = i % (Width * Height), y = p / Width, x = p % Width;
                    bool on = i < Width * Height && name switch
                    {
                        "top" => y < Height / 2,
                        "left" => x < Width / 2,
                        _ => x >= Width / 4 && x < 3 * Width / 4 && y >= Height / 4 && y < 3 * Height / 4,
                    };
                    pixels[i] = (byte)Math.Clamp((on ? 220 : 40) + random.Next(-60, 61), 0, 255);
                }
                string path = Path.Combine(folder, $"{n:D3}.png");
                if (rgb)
                    PngFiles.WriteRgbPlanes(path, pixels, Width, Height);
                else
                    PngFiles.WriteGray(path, pixels, Width, Height);
            }
        }
    }
}
