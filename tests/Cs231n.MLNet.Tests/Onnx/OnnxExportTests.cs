using Cs231n.MLNet.Data;
using Cs231n.MLNet.Tests.Data;
using Cs231n.MLNet.Tests.Trainers;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;

namespace Cs231n.MLNet.Tests.Onnx;

/// <summary>
/// ConvertToOnnx on pipelines of built-in transforms, SubtractMeanImage and each of our trainers, followed by
/// MapKeyToValue: the file scored by ONNX Runtime (ApplyOnnxModel) on the bundled Fashion-MNIST test set gives the
/// same PredictedLabel on every row and Score within 1e-4.
/// </summary>
[TestClass]
public sealed class OnnxExportTests
{
    private static IEstimator<ITransformer> Trainer(MLContext ml, string name) => name switch
    {
        "MulticlassSvm" => ml.MulticlassClassification.Trainers.MulticlassSvm(numberOfEpochs: 3, batchSize: 32),
        "Softmax" => ml.MulticlassClassification.Trainers.Softmax(numberOfEpochs: 3, batchSize: 32),
        "Mlp-Relu" => Mlp(ml, ActivationFunction.Relu),
        "Mlp-LeakyRelu" => Mlp(ml, ActivationFunction.LeakyRelu),
        "Mlp-Tanh" => Mlp(ml, ActivationFunction.Tanh),
        "Mlp-Sigmoid" => Mlp(ml, ActivationFunction.Sigmoid),
        "Knn-L2-Uniform" => ml.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5, distance: KnnDistance.L2, weighting: KnnWeighting.Uniform),
        "Knn-L2-Distance" => ml.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 7, distance: KnnDistance.L2, weighting: KnnWeighting.Distance),
        "Knn-Cosine-Uniform" => ml.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 4, distance: KnnDistance.Cosine, weighting: KnnWeighting.Uniform),
        "Knn-Cosine-Distance" => ml.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5, distance: KnnDistance.Cosine, weighting: KnnWeighting.Distance),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown trainer."),
    };

    private static IEstimator<ITransformer> Mlp(MLContext ml, ActivationFunction activation)
        => ml.MulticlassClassification.Trainers.MultilayerPerceptron(new MultilayerPerceptronTrainer.Options
        {
            HiddenLayerSizes = [32, 16],
            Activation = activation,
            NumberOfEpochs = 3,
            BatchSize = 32,
        });

    /// <summary>MapValueToKey → [NormalizeMinMax] → [SubtractMeanImage] → trainer → MapKeyToValue.</summary>
    private static IEstimator<ITransformer> Pipeline(MLContext ml, string trainer, bool normalize, bool meanImage)
    {
        IEstimator<ITransformer> pipeline = ml.Transforms.Conversion.MapValueToKey("Label");
        if (normalize)
            pipeline = pipeline.Append(ml.Transforms.NormalizeMinMax("Features"));
        if (meanImage)
            pipeline = pipeline.Append(ml.Transforms.SubtractMeanImage("Features"));
        return pipeline.Append(Trainer(ml, trainer)).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    }

    [TestMethod]
    [DataRow("MulticlassSvm", true, false)]
    [DataRow("MulticlassSvm", false, true)]
    [DataRow("Softmax", true, false)]
    [DataRow("Softmax", false, true)]
    [DataRow("Mlp-Relu", false, true)]
    [DataRow("Mlp-LeakyRelu", true, false)]
    [DataRow("Mlp-Tanh", false, false)]
    [DataRow("Mlp-Sigmoid", true, true)]
    [DataRow("Knn-L2-Uniform", false, false)]
    [DataRow("Knn-L2-Distance", true, true)]
    [DataRow("Knn-Cosine-Uniform", false, true)]
    [DataRow("Knn-Cosine-Distance", true, false)]
    public void ExportedPipelineScoresLikeOursInOnnxRuntime(string trainer, bool normalize, bool meanImage)
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = FashionMnistFiles.Bundled(ml);
        var model = Pipeline(ml, trainer, normalize, meanImage).Fit(train);
        using var temp = new TempFolder();
        string path = temp.File("model.onnx");
        OnnxRoundTrip.Export(ml, model, train, path);
        OnnxRoundTrip.AssertInputs(path, "Features", "Label");

        OnnxRoundTrip.AssertAgree(OnnxRoundTrip.Ours(model, test), OnnxRoundTrip.Score(ml, path, test),
            $"{trainer} (normalize: {normalize}, mean image: {meanImage})");
    }

    [TestMethod]
    public void AModelLoadedFromItsFileExportsToo()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = FashionMnistFiles.Bundled(ml);
        var fitted = Pipeline(ml, "Knn-L2-Uniform", normalize: false, meanImage: true).Fit(train);
        using var temp = new TempFolder();
        ml.Model.Save(fitted, train.Schema, temp.File("model.zip"));
        var fresh = new MLContext(seed: 2);
        var model = fresh.Model.Load(temp.File("model.zip"), out _);
        string path = temp.File("model.onnx");
        OnnxRoundTrip.Export(fresh, model, train, path);
        OnnxRoundTrip.AssertAgree(OnnxRoundTrip.Ours(fitted, test), OnnxRoundTrip.Score(fresh, path, test), "kNN loaded from its file");
    }

    [TestMethod]
    public void GraphInputsAreThePipelineInputsNeverOurOutputs()
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = FashionMnistFiles.Bundled(ml);
        var model = Pipeline(ml, "Softmax", normalize: true, meanImage: true).Fit(train);
        using var temp = new TempFolder();
        string path = temp.File("model.onnx");
        OnnxRoundTrip.Export(ml, model, train, path);

        using var session = new InferenceSession(path);
        var inputs = session.InputMetadata.Keys.ToHashSet();
        CollectionAssert.AreEquivalent(new[] { "Features", "Label" }, inputs.ToArray(), $"graph inputs: {string.Join(", ", inputs)}");
        Assert.AreEqual(784, session.InputMetadata["Features"].Dimensions[^1]);
        Assert.IsTrue(session.OutputMetadata.ContainsKey("PredictedLabel.output") && session.OutputMetadata.ContainsKey("Score.output"),
            $"graph outputs: {string.Join(", ", session.OutputMetadata.Keys)}");
    }

    [TestMethod]
    public void SubtractMeanImageAloneExportsBitForBit()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = FashionMnistFiles.Bundled(ml);
        var model = ml.Transforms.SubtractMeanImage("Centered", "Features").Fit(train);
        using var temp = new TempFolder();
        string path = temp.File("mean.onnx");
        OnnxRoundTrip.Export(ml, model, train, path);
        OnnxRoundTrip.AssertInputs(path, "Features", "Label");

        var ours = OnnxRoundTrip.ReadScores(model.Transform(test), "Centered");
        var onnx = OnnxRoundTrip.ReadScores(ml.Transforms.ApplyOnnxModel(path).Fit(test).Transform(test), "Centered");
        Assert.AreEqual(ours.Count, onnx.Count);
        Assert.IsTrue(ours.Any(row => row.Any(v => v < 0)), "the mean must have been subtracted");
        for (int r = 0; r < ours.Count; r++)
            CollectionAssert.AreEqual(ours[r], onnx[r], $"row {r}");
    }

    [TestMethod]
    public void NetworksExportAtOpset9AndNearestNeighborsNeedsOpset11()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = FashionMnistFiles.Bundled(ml);
        var mlp = Pipeline(ml, "Mlp-Tanh", normalize: false, meanImage: true).Fit(train);
        using var temp = new TempFolder();
        string path = temp.File("mlp9.onnx");
        using (var stream = File.Create(path))
            ml.Model.ConvertToOnnx(mlp, train, 9, stream);
        OnnxRoundTrip.AssertAgree(OnnxRoundTrip.Ours(mlp, test), OnnxRoundTrip.Score(ml, path, test), "MLP at opset 9");

        var knn = Pipeline(ml, "Knn-L2-Uniform", normalize: false, meanImage: false).Fit(train);
        using var memory = new MemoryStream();
        var error = Assert.Throws<ArgumentException>(() => ml.Model.ConvertToOnnx(knn, train, 10, memory));
        StringAssert.Contains(error.Message, "KNearestNeighborsModelParameters");
        StringAssert.Contains(error.Message, "11");
    }

    [TestMethod]
    public void L1NearestNeighborsThrowsNotSupportedInsteadOfWritingAFile()
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = FashionMnistFiles.Bundled(ml);
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.KNearestNeighbors(distance: KnnDistance.L1))
            .Fit(train);
        using var stream = new MemoryStream();
        var error = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.ConvertToOnnx(model, train, stream));
        StringAssert.Contains(error.Message, "KNearestNeighbors");
        StringAssert.Contains(error.Message, "L1");
        Assert.AreEqual(0, stream.Length, "nothing may be written");
    }

    [TestMethod]
    public void AnUnexportableStepBeforeOursThrowsInsteadOfTakingOurInputAsTheGraphInput()
    {
        // A custom mapping cannot be exported, so the exporter's walk stops before our step; our step must then
        // refuse rather than let the graph read Features from nowhere.
        var ml = new MLContext(seed: 1);
        var (train, _) = FashionMnistFiles.Bundled(ml);
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.CustomMapping((FeaturesRow input, FeaturesRow output) => output.Features = input.Features, contractName: null))
            .Append(ml.MulticlassClassification.Trainers.Softmax(numberOfEpochs: 1))
            .Fit(train);
        using var stream = new MemoryStream();
        var error = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.ConvertToOnnx(model, train, stream));
        StringAssert.Contains(error.Message, "cannot be exported");
        Assert.AreEqual(0, stream.Length, "nothing may be written");
    }

    public sealed class FeaturesRow
    {
        [Microsoft.ML.Data.VectorType(784)]
        public float[] Features { get; set; } = [];
    }
}
