using Cs231n.MLNet.Tests.Data;
using Cs231n.MLNet.Tests.Trainers;
using Microsoft.ML;

namespace Cs231n.MLNet.Tests.Onnx;

/// <summary>
/// The exported kNN on the full Fashion-MNIST training set (60,000 rows, a 188 MB graph) scored through
/// ApplyOnnxModel: every answer bit for bit as the model's, where near-ties among 60,000 distances are common.
/// Long: ONNX Runtime scores ApplyOnnxModel's rows one at a time, each against the whole training matrix.
/// </summary>
[TestClass]
public sealed class OnnxFullFashionMnistTests
{
    [TestMethod]
    [TestCategory("Long")]
    [DataRow(KnnDistance.L2, KnnWeighting.Uniform)]
    [DataRow(KnnDistance.Cosine, KnnWeighting.Distance)]
    public void ExportedNearestNeighborsAnswersExactlyOnFullFashionMnist(KnnDistance distance, KnnWeighting weighting)
    {
        var ml = new MLContext(seed: 1);
        var (train, fullTest) = FashionMnistFiles.Full(ml);
        var test = ml.Data.Cache(ml.Data.TakeRows(fullTest, 1000));
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5, distance: distance, weighting: weighting))
            .Fit(train);
        using var temp = new TempFolder();
        string path = temp.File("knn.onnx");
        OnnxRoundTrip.Export(ml, model, train, path);

        var scored = model.Transform(test);
        var onnx = ml.Transforms.ApplyOnnxModel(path).Fit(test).Transform(test);
        var (ourKeys, onnxKeys) = (OnnxRoundTrip.ReadKeys(scored), OnnxRoundTrip.ReadKeys(onnx));
        var (ourScores, onnxScores) = (OnnxRoundTrip.ReadScores(scored, "Score"), OnnxRoundTrip.ReadScores(onnx, "Score"));
        int differentLabels = ourKeys.Zip(onnxKeys).Count(p => p.First != p.Second);
        int differentScores = ourScores.Zip(onnxScores).Count(p => !p.First.SequenceEqual(p.Second));
        Assert.AreEqual(0, differentLabels, $"{differentLabels} of {ourKeys.Count} rows predict a different label in ONNX Runtime");
        Assert.AreEqual(0, differentScores, $"{differentScores} of {ourKeys.Count} rows have different scores in ONNX Runtime");
    }
}
