using Cs231n.MLNet.ConvolutionalNetworks;
using Cs231n.MLNet.Data;
using Cs231n.MLNet.Tests.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Cs231n.MLNet.Tests.Onnx;

/// <summary>
/// ConvertToOnnx on the convolutional network: a network holding every layer kind (convolutions with padding and
/// with stride, both batch-norm forms, overlapping and plain max pooling, every activation, dropout, fully connected
/// layers) trained briefly with augmentation on 500 bundled Fashion-MNIST images, and an RGB network on non-square images. The file is
/// scored by ONNX Runtime directly (InferenceSession) and through ML.NET's ApplyOnnxModel on the 500 held-out test
/// images: PredictedLabel is identical on every row and every Score within <see cref="RelativeTolerance"/> of ours.
/// </summary>
[TestClass]
public sealed class OnnxConvolutionalNetworkTests
{
    /// <summary>
    /// |ONNX − ours| ≤ 1e-5·max(|ONNX|, |ours|) + 1e-7 per probability: ONNX Runtime sums the convolutions in another
    /// order, so the logits differ in their last bits, and a softmax carries a logit error δ into a relative error δ.
    /// </summary>
    private const float RelativeTolerance = 1e-5f, AbsoluteFloor = 1e-7f;

    private static ConvNetLayer[] EveryLayerKind() =>
    [
        new Convolution(8, 3, Stride: 1, Padding: 1), new BatchNormalization(), new Activation(ActivationFunction.LeakyRelu), new MaxPooling(2),
        new Convolution(12, 3, Stride: 2, Padding: 0), new Activation(ActivationFunction.Relu), new MaxPooling(3, Stride: 1), new BatchNormalization(),
        new FullyConnected(32), new BatchNormalization(), new Activation(ActivationFunction.Tanh), new Dropout(0.3),
        new FullyConnected(24), new Activation(ActivationFunction.Sigmoid),
    ];

    /// <summary>A fitted CNN pipeline (trainer → MapKeyToValue) on keyed rows, and the rows it is exported and tested with.</summary>
    private sealed record Fitted(MLContext Ml, ITransformer Model, IDataView FeaturesOnly, IDataView Test, ImageDataset TestImages);

    private static Fitted Fit(ImageDataset train, ImageDataset test, ConvolutionalNetworkTrainer.Options options)
    {
        var ml = new MLContext(seed: 1);
        var trainView = train.ToDataView(ml);
        var key = ml.Transforms.Conversion.MapValueToKey("Label").Fit(trainView);
        var keyed = ml.Data.Cache(key.Transform(trainView));
        var model = ml.MulticlassClassification.Trainers.ConvolutionalNetwork(options)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(keyed);
        // The exporter walks a view back to its root and takes the root's columns for the graph's inputs; a cached
        // view of Features alone is a root, so a serving host feeds Features and nothing else.
        var featuresOnly = ml.Data.Cache(ml.Transforms.SelectColumns("Features").Fit(trainView).Transform(trainView));
        return new Fitted(ml, model, featuresOnly, test.ToDataView(ml), test);
    }

    // Trained once for the tests that export it.
    private static readonly Lazy<Fitted> EveryLayerKindFitted = new(() => Fit(
        BundledData.FashionMnistTrain().TakeFirstPerClass(50), BundledData.FashionMnistTest(),
        new ConvolutionalNetworkTrainer.Options
        {
            Layers = EveryLayerKind(), ImageShape = [1, 28, 28], RandomShift = 2, HorizontalFlip = true, NumberOfEpochs = 3, BatchSize = 32, Seed = 2,
        }));

    private static Fitted EveryLayerKindModel() => EveryLayerKindFitted.Value;

    [TestMethod]
    public void EveryLayerKindScoresLikeOursInApplyOnnxModel()
    {
        var fitted = EveryLayerKindModel();
        using var temp = new TempFolder();
        string path = temp.File("cnn.onnx");
        OnnxRoundTrip.Export(fitted.Ml, fitted.Model, fitted.FeaturesOnly, path);
        OnnxRoundTrip.AssertInputs(path, "Features");
        AssertAgree(OnnxRoundTrip.Ours(fitted.Model, fitted.Test), OnnxRoundTrip.Score(fitted.Ml, path, fitted.Test), "every layer kind, ApplyOnnxModel");
    }

    [TestMethod]
    public void EveryLayerKindScoresLikeOursInAnInferenceSession()
    {
        var fitted = EveryLayerKindModel();
        using var temp = new TempFolder();
        string path = temp.File("cnn.onnx");
        OnnxRoundTrip.Export(fitted.Ml, fitted.Model, fitted.FeaturesOnly, path);
        AssertAgree(OnnxRoundTrip.Ours(fitted.Model, fitted.Test), RunSession(path, fitted.TestImages), "every layer kind, InferenceSession");
    }

    [TestMethod]
    public void ExportsAtOpset9()
    {
        var fitted = EveryLayerKindModel();
        using var temp = new TempFolder();
        string path = temp.File("cnn9.onnx");
        using (var stream = File.Create(path))
            fitted.Ml.Model.ConvertToOnnx(fitted.Model, fitted.FeaturesOnly, 9, stream);
        AssertAgree(OnnxRoundTrip.Ours(fitted.Model, fitted.Test), OnnxRoundTrip.Score(fitted.Ml, path, fitted.Test), "every layer kind at opset 9");
    }

    [TestMethod]
    public void AModelLoadedFromItsFileExportsTheSameGraph()
    {
        var fitted = EveryLayerKindModel();
        using var temp = new TempFolder();
        fitted.Ml.Model.Save(fitted.Model, fitted.FeaturesOnly.Schema, temp.File("cnn.zip"));
        var fresh = new MLContext(seed: 5);
        var loaded = fresh.Model.Load(temp.File("cnn.zip"), out _);
        OnnxRoundTrip.Export(fitted.Ml, fitted.Model, fitted.FeaturesOnly, temp.File("original.onnx"));
        OnnxRoundTrip.Export(fresh, loaded, fitted.FeaturesOnly, temp.File("loaded.onnx"));
        CollectionAssert.AreEqual(File.ReadAllBytes(temp.File("original.onnx")), File.ReadAllBytes(temp.File("loaded.onnx")), "the same model gives the same file");
    }

    [TestMethod]
    public void RgbNonSquareImagesScoreLikeOurs()
    {
        // Real pictures in three distinct channels on a 20×28 (non-square) frame: rows 4–23 of each Fashion-MNIST
        // image as red, its negative as green, and the image shifted right by two columns as blue.
        var fitted = Fit(Rgb(BundledData.FashionMnistTrain().TakeFirstPerClass(40)), Rgb(BundledData.FashionMnistTest()),
            new ConvolutionalNetworkTrainer.Options
            {
                Layers = [new Convolution(8, 5, Stride: 1, Padding: 2), new BatchNormalization(), new Activation(), new MaxPooling(2),
                    new Convolution(8, 3, Stride: 2, Padding: 1), new Activation(), new FullyConnected(16), new Activation()],
                ImageShape = [3, RgbHeight, RgbWidth], NumberOfEpochs = 3, BatchSize = 32, Seed = 4,
            });
        using var temp = new TempFolder();
        string path = temp.File("rgb.onnx");
        OnnxRoundTrip.Export(fitted.Ml, fitted.Model, fitted.FeaturesOnly, path);
        using (var session = new InferenceSession(path))
            Assert.AreEqual(3 * RgbHeight * RgbWidth, session.InputMetadata["Features"].Dimensions[^1]);
        var ours = OnnxRoundTrip.Ours(fitted.Model, fitted.Test);
        AssertAgree(ours, OnnxRoundTrip.Score(fitted.Ml, path, fitted.Test), "RGB 3×20×28, ApplyOnnxModel");
        AssertAgree(ours, RunSession(path, fitted.TestImages), "RGB 3×20×28, InferenceSession");
    }

    [TestMethod]
    public void ARowWithANaNOrInfiniteFeatureScoresNaNAndPredictsTheMissingKey()
    {
        var fitted = EveryLayerKindModel();
        var cnn = ((IEnumerable<ITransformer>)fitted.Model).First();
        const int rows = 20, width = 784;
        float[] features = fitted.TestImages.Pixels.Take(rows * width).Select(b => b / 255f).ToArray();
        features[3 * width + 100] = float.NaN;
        features[7 * width + 5] = float.PositiveInfinity;
        var view = fitted.Ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows)
            .Select(r => new OnnxExportTests.FeaturesRow { Features = features.AsSpan(r * width, width).ToArray() }));
        var scored = cnn.Transform(view);
        var ourKeys = OnnxRoundTrip.ReadKeys(scored);
        var ourScores = OnnxRoundTrip.ReadScores(scored, "Score");

        using var temp = new TempFolder();
        string path = temp.File("cnn-keys.onnx");
        OnnxRoundTrip.Export(fitted.Ml, cnn, fitted.FeaturesOnly, path);
        using var session = new InferenceSession(path);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(features, [rows, width]))]);
        var keys = results.Single(r => r.Name == "PredictedLabel.output").AsTensor<uint>().ToArray();
        var scores = results.Single(r => r.Name == "Score.output").AsTensor<float>().ToArray();
        int classes = ourScores[0].Length;
        for (int r = 0; r < rows; r++)
        {
            bool bad = r is 3 or 7;
            if (bad)
                Assert.AreEqual(0u, ourKeys[r], $"our key of row {r}, which has a non-finite feature");
            Assert.AreEqual(ourKeys[r], keys[r], $"PredictedLabel key of row {r}");
            for (int c = 0; c < classes; c++)
            {
                float onnx = scores[r * classes + c];
                if (bad)
                    Assert.IsTrue(float.IsNaN(ourScores[r][c]) && float.IsNaN(onnx), $"row {r} has a non-finite feature: Score[{c}] ours {ourScores[r][c]}, ONNX {onnx}");
                else
                    AssertClose(ourScores[r][c], onnx, $"Score[{c}] of row {r}");
            }
        }
    }

    private const int RgbHeight = 20, RgbWidth = 28;

    private static ImageDataset Rgb(ImageDataset grey)
    {
        int plane = RgbHeight * RgbWidth;
        var pixels = new byte[grey.Count * 3 * plane];
        for (int i = 0; i < grey.Count; i++)
        {
            var image = grey.GetImage(i);
            var rgb = pixels.AsSpan(i * 3 * plane, 3 * plane);
            for (int y = 0; y < RgbHeight; y++)
            {
                for (int x = 0; x < RgbWidth; x++)
                {
                    byte value = image[(y + 4) * 28 + x];
                    rgb[y * RgbWidth + x] = value;
                    rgb[plane + y * RgbWidth + x] = (byte)(255 - value);
                    rgb[2 * plane + y * RgbWidth + x] = x >= 2 ? image[(y + 4) * 28 + x - 2] : (byte)0;
                }
            }
        }
        return new ImageDataset(pixels, grey.Labels, RgbHeight, RgbWidth, 3, grey.ClassNames);
    }

    /// <summary>ONNX Runtime alone: the test images as one N×D float tensor, the class names and scores read back.</summary>
    private static (List<string> Labels, List<float[]> Scores) RunSession(string path, ImageDataset images)
    {
        var features = images.Pixels.Select(b => b / 255f).ToArray();
        using var session = new InferenceSession(path);
        var input = NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(features, [images.Count, images.FeatureLength]));
        using var results = session.Run([input]);
        var labels = results.Single(r => r.Name == "PredictedLabel.output").AsTensor<string>().ToList();
        var scores = results.Single(r => r.Name == "Score.output").AsTensor<float>();
        int classes = scores.Dimensions[1];
        return (labels, Enumerable.Range(0, images.Count).Select(r => Enumerable.Range(0, classes).Select(c => scores[r, c]).ToArray()).ToList());
    }

    private static void AssertAgree((List<string> Labels, List<float[]> Scores) ours, (List<string> Labels, List<float[]> Scores) onnx, string what)
    {
        Assert.AreEqual(ours.Labels.Count, onnx.Labels.Count, $"{what}: row count");
        Assert.IsGreaterThanOrEqualTo(5, ours.Labels.Distinct().Count(), $"{what}: the model predicts only {ours.Labels.Distinct().Count()} classes; the comparison would say little.");
        double worstAbsolute = 0, worstRelative = 0;
        for (int r = 0; r < ours.Labels.Count; r++)
        {
            Assert.AreEqual(ours.Labels[r], onnx.Labels[r], $"{what}: PredictedLabel of row {r}");
            Assert.AreEqual(ours.Scores[r].Length, onnx.Scores[r].Length, $"{what}: Score length of row {r}");
            for (int c = 0; c < ours.Scores[r].Length; c++)
            {
                float a = ours.Scores[r][c], b = onnx.Scores[r][c], difference = Math.Abs(a - b), scale = Math.Max(Math.Abs(a), Math.Abs(b));
                worstAbsolute = Math.Max(worstAbsolute, difference);
                worstRelative = Math.Max(worstRelative, scale > 0 ? difference / scale : 0);
                AssertClose(a, b, $"{what}: Score[{c}] of row {r}");
            }
        }
        Console.WriteLine($"{what}: {ours.Labels.Count} rows, labels identical, max |Δ score| {worstAbsolute:E2}, max relative {worstRelative:E2}");
    }

    private static void AssertClose(float ours, float onnx, string what)
        => Assert.IsLessThanOrEqualTo(RelativeTolerance * Math.Max(Math.Abs(ours), Math.Abs(onnx)) + AbsoluteFloor, Math.Abs(ours - onnx),
            $"{what}: ours {ours:R}, ONNX Runtime {onnx:R}");
}
