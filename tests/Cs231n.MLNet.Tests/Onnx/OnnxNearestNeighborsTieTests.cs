using Cs231n.MLNet.Tests.Data;
using Cs231n.MLNet.Tests.TestSupport;
using Microsoft.ML;

namespace Cs231n.MLNet.Tests.Onnx;

/// <summary>
/// The exported kNN graph on data built to tie: training rows on a 3×3×3 integer grid (duplicates with different
/// classes, the zero vector), queries on and between the grid points, so equal distances, exact matches and equal
/// class votes are everywhere. ONNX Runtime must answer exactly as the model does, and a row with a NaN feature must
/// come back as the missing label with NaN scores, as ours does.
/// </summary>
[TestClass]
public sealed class OnnxNearestNeighborsTieTests
{
    private const int Dimension = 3;

    private static List<LabelledRow> Grid(int count, int seed, bool halfSteps)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => new LabelledRow
        {
            Label = $"class{random.Next(4)}",
            Features = Enumerable.Range(0, Dimension).Select(_ => halfSteps ? random.Next(5) / 2f : random.Next(3)).ToArray(),
        }).ToList();
    }

    [TestMethod]
    [DataRow(KnnDistance.L2, KnnWeighting.Uniform, 4, KnnTieBreaking.NearestNeighbor)]
    [DataRow(KnnDistance.L2, KnnWeighting.Uniform, 4, KnnTieBreaking.LowestLabel)]
    [DataRow(KnnDistance.L2, KnnWeighting.Distance, 5, KnnTieBreaking.NearestNeighbor)]
    [DataRow(KnnDistance.L2, KnnWeighting.Distance, 5, KnnTieBreaking.LowestLabel)]
    [DataRow(KnnDistance.Cosine, KnnWeighting.Uniform, 6, KnnTieBreaking.NearestNeighbor)]
    [DataRow(KnnDistance.Cosine, KnnWeighting.Uniform, 6, KnnTieBreaking.LowestLabel)]
    [DataRow(KnnDistance.Cosine, KnnWeighting.Distance, 3, KnnTieBreaking.NearestNeighbor)]
    [DataRow(KnnDistance.L2, KnnWeighting.Uniform, 1, KnnTieBreaking.NearestNeighbor)]
    public void TiedDistancesAndVotesResolveAsTheModelDoes(KnnDistance distance, KnnWeighting weighting, int k, KnnTieBreaking tieBreaking)
    {
        var ml = new MLContext(seed: 1);
        // class3 comes first, so MapValueToKey numbers the classes against their value order and key order,
        // lowest label and nearest neighbour are three different rules.
        var trainRows = Grid(80, seed: 3, halfSteps: false);
        trainRows.Insert(0, new LabelledRow { Label = "class3", Features = [2f, 2f, 2f] });
        var train = SyntheticData.ToDataView(ml, trainRows, Dimension);
        var queries = Grid(150, seed: 4, halfSteps: true);
        queries.Add(new LabelledRow { Label = "class0", Features = [1f, float.NaN, 0f] });
        queries.Add(new LabelledRow { Label = "class1", Features = [float.PositiveInfinity, 1f, 0f] });
        var test = SyntheticData.ToDataView(ml, queries, Dimension);

        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: k, distance: distance, weighting: weighting, tieBreaking: tieBreaking))
            .Fit(train);
        using var temp = new TempFolder();
        string path = temp.File("knn.onnx");
        OnnxRoundTrip.Export(ml, model, train, path);

        // Keys, not class names: ML.NET's exported MapKeyToValue turns the missing key into ONNX's "_Unused", ML.NET into "".
        var scored = model.Transform(test);
        var ours = (Keys: OnnxRoundTrip.ReadKeys(scored), Scores: OnnxRoundTrip.ReadScores(scored, "Score"));
        var onnxView = ml.Transforms.ApplyOnnxModel(path).Fit(test).Transform(test);
        var onnx = (Keys: OnnxRoundTrip.ReadKeys(onnxView), Scores: OnnxRoundTrip.ReadScores(onnxView, "Score"));
        // The model raises a tied winner's share by one ulp: a row whose two largest shares are one ulp apart was tied.
        int tiedRows = ours.Scores.Count(s => s.Count(v => v == s.Max() || MathF.BitIncrement(v) == s.Max()) > 1);
        Assert.IsTrue(k == 1 || weighting == KnnWeighting.Distance || tiedRows > 10, $"the data must produce tied votes; {tiedRows} rows tie");
        for (int r = 0; r < queries.Count; r++)
        {
            Assert.AreEqual(ours.Keys[r], onnx.Keys[r], $"PredictedLabel of row {r} ({string.Join(", ", queries[r].Features)})");
            for (int c = 0; c < ours.Scores[r].Length; c++)
            {
                if (float.IsNaN(ours.Scores[r][c]))
                    Assert.IsTrue(float.IsNaN(onnx.Scores[r][c]), $"row {r} has a non-finite feature: ONNX Score[{c}] must be NaN, is {onnx.Scores[r][c]}");
                else
                    Assert.AreEqual(ours.Scores[r][c], onnx.Scores[r][c], $"Score[{c}] of row {r} (the graph is exact: bit for bit)");
            }
        }
        Assert.AreEqual(0u, ours.Keys[^1], "a row with a non-finite feature predicts the missing key");
    }
}
