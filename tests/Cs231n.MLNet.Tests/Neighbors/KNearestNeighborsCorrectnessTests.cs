using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Neighbors;

/// <summary>Small cases whose answers are computed by hand.</summary>
[TestClass]
public sealed class KNearestNeighborsCorrectnessTests
{
    // Five training points on a line with classes a, a, b, b, c; the query is at 2.2.
    private static readonly (float X, float Y, string Label)[] Points =
    {
        (0, 0, "a"), (1, 0, "a"), (2, 0, "b"), (3, 0, "b"), (10, 0, "c"),
    };

    private static (KNearestNeighborsModelParameters Model, ITransformer Pipeline, MLContext Context) Fit(int k, KnnDistance distance, KnnWeighting weighting,
        (float X, float Y, string Label)[]? points = null)
    {
        var mlContext = new MLContext(seed: 1);
        var rows = (points ?? Points).Select(p => new LabelledRow { Label = p.Label, Features = new[] { p.X, p.Y } });
        var data = SyntheticData.ToDataView(mlContext, rows, 2);
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: k, distance: distance, weighting: weighting))
            .Fit(data);
        return (pipeline.LastTransformer.Model, pipeline, mlContext);
    }

    private static float[] ScoreOf(ITransformer pipeline, MLContext mlContext, float x, float y)
    {
        var data = SyntheticData.ToDataView(mlContext, new[] { new LabelledRow { Label = "a", Features = new[] { x, y } } }, 2);
        return ScoreReader.Scores(pipeline.Transform(data)).Single();
    }

    [TestMethod]
    public void L2NeighboursAndDistancesAreExact()
    {
        var (model, _, _) = Fit(3, KnnDistance.L2, KnnWeighting.Uniform);
        var neighbours = model.FindNeighbors(new[] { 2.2f, 1f }, 3);
        CollectionAssert.AreEqual(new[] { 2, 3, 1 }, neighbours.Select(n => n.Index).ToArray());
        Assert.AreEqual(MathF.Sqrt(0.04f + 1f), neighbours[0].Distance, 1e-6f);
        Assert.AreEqual(MathF.Sqrt(0.64f + 1f), neighbours[1].Distance, 1e-6f);
        Assert.AreEqual(MathF.Sqrt(1.44f + 1f), neighbours[2].Distance, 1e-6f);
        CollectionAssert.AreEqual(new[] { 1, 1, 0 }, neighbours.Select(n => n.ClassIndex).ToArray());
    }

    [TestMethod]
    public void L1DistancesAreSumsOfAbsoluteDifferences()
    {
        var (model, _, _) = Fit(2, KnnDistance.L1, KnnWeighting.Uniform);
        var neighbours = model.FindNeighbors(new[] { 2.2f, 1f }, 2);
        CollectionAssert.AreEqual(new[] { 2, 3 }, neighbours.Select(n => n.Index).ToArray());
        Assert.AreEqual(1.2f, neighbours[0].Distance, 1e-6f);
        Assert.AreEqual(1.8f, neighbours[1].Distance, 1e-6f);
    }

    [TestMethod]
    public void CosineDistanceIgnoresLength()
    {
        var points = new (float, float, string)[] { (1, 0, "x"), (0, 1, "y"), (5, 5, "z") };
        var (model, _, _) = Fit(3, KnnDistance.Cosine, KnnWeighting.Uniform, points);
        var neighbours = model.FindNeighbors(new[] { 2f, 2.1f }, 3);
        Assert.AreEqual(2, neighbours[0].Index, "the point in the same direction is nearest whatever its length");
        double cosine = (2 * 5 + 2.1 * 5) / (Math.Sqrt(4 + 4.41) * Math.Sqrt(50));
        Assert.AreEqual(1 - cosine, neighbours[0].Distance, 1e-6);
        Assert.AreEqual(1 - 2.1 / Math.Sqrt(8.41), neighbours[1].Distance, 1e-6, "(0,1) is second");
    }

    [TestMethod]
    public void UniformVotesAreFractionsOfK()
    {
        var (_, pipeline, ml) = Fit(3, KnnDistance.L2, KnnWeighting.Uniform);
        // Neighbours of 2.2: b(2), b(3), a(1) → a 1/3, b 2/3, c 0. Key order is a, b, c.
        var score = ScoreOf(pipeline, ml, 2.2f, 0f);
        Assert.AreEqual(1f / 3, score[0], 1e-6f);
        Assert.AreEqual(2f / 3, score[1], 1e-6f);
        Assert.AreEqual(0f, score[2]);
    }

    [TestMethod]
    public void DistanceWeightedVotesUseInverseDistance()
    {
        var (_, pipeline, ml) = Fit(3, KnnDistance.L2, KnnWeighting.Distance);
        // Neighbours of 1.4: a(1) at 0.4, b(2) at 0.6, a(0) at 1.4.
        var score = ScoreOf(pipeline, ml, 1.4f, 0f);
        double a = 1 / 0.4 + 1 / 1.4, b = 1 / 0.6;
        Assert.AreEqual(a / (a + b), score[0], 1e-5);
        Assert.AreEqual(b / (a + b), score[1], 1e-5);
    }

    [TestMethod]
    public void ExactMatchWinsOutrightUnderDistanceWeighting()
    {
        var (_, pipeline, ml) = Fit(3, KnnDistance.L2, KnnWeighting.Distance);
        var score = ScoreOf(pipeline, ml, 2f, 0f);
        CollectionAssert.AreEqual(new[] { 0f, 1f, 0f }, score);
    }

    [TestMethod]
    public void TiedVotesGoToTheNearestTiedClassByDefault()
    {
        var (_, pipeline, ml) = Fit(2, KnnDistance.L2, KnnWeighting.Uniform);
        // Neighbours of 1.5: a(1) and b(2) at 0.5 each: a 1/2, b 1/2 → a, the earlier of the equally near rows, wins.
        var data = SyntheticData.ToDataView(ml, new[] { new LabelledRow { Label = "a", Features = new[] { 1.5f, 0f } } }, 2);
        var scored = pipeline.Transform(data);
        // The winner's share is raised by one unit in the last place, so that Score's arg-max names it too.
        CollectionAssert.AreEqual(new[] { MathF.BitIncrement(0.5f), 0.5f, 0f }, ScoreReader.Scores(scored).Single());
        Assert.AreEqual(1u, ScoreReader.PredictedKeys(scored).Single());
    }

    [TestMethod]
    public void EqualDistancesKeepTrainingOrder()
    {
        var (model, _, _) = Fit(2, KnnDistance.L2, KnnWeighting.Uniform);
        var neighbours = model.FindNeighbors(new[] { 1.5f, 0f }, 2);
        CollectionAssert.AreEqual(new[] { 1, 2 }, neighbours.Select(n => n.Index).ToArray());
    }

    [TestMethod]
    public void OneNeighbourReproducesTrainingLabelsExactly()
    {
        var mlContext = new MLContext(seed: 3);
        var rows = SyntheticData.Blobs(40, 4, 5, spread: 3f, seed: 9);
        var data = SyntheticData.ToDataView(mlContext, rows, 5);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 1))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        var predicted = model.Transform(data).GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString());
        CollectionAssert.AreEqual(rows.Select(r => r.Label).ToList(), predicted.ToList());
    }

    [TestMethod]
    public void ModelExposesWhatItLearned()
    {
        var (model, _, _) = Fit(3, KnnDistance.L1, KnnWeighting.Distance);
        Assert.AreEqual(3, model.NumberOfNeighbors);
        Assert.AreEqual(KnnDistance.L1, model.Distance);
        Assert.AreEqual(KnnWeighting.Distance, model.Weighting);
        Assert.AreEqual(3, model.ClassCount);
        Assert.AreEqual(5, model.TrainingRowCount);
        Assert.AreEqual(2, model.FeatureCount);
        CollectionAssert.AreEqual(new[] { 0, 0, 1, 1, 2 }, model.TrainingClassIndices.ToArray());
        CollectionAssert.AreEqual(new[] { 0f, 0f, 1f, 0f, 2f, 0f, 3f, 0f, 10f, 0f }, model.TrainingFeatures.ToArray());
    }

    [TestMethod]
    public void ScoringManyRowsInBlocksMatchesRowByRow()
    {
        var mlContext = new MLContext(seed: 5);
        var rows = SyntheticData.Blobs(800, 3, 4, spread: 4f, seed: 2); // 2,400 rows: more than one scoring block
        var data = SyntheticData.ToDataView(mlContext, rows, 4);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 7))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data.Take(mlContext, 1500));
        var batched = ScoreReader.Scores(model.Transform(data));
        var engine = mlContext.Model.CreatePredictionEngine<LabelledRow, TrainerWorkout.Prediction>(model, inputSchemaDefinition: SyntheticData.SchemaFor(4));
        var single = rows.Select(r => engine.Predict(r).Score).ToList();
        ScoreReader.AssertBitIdentical(batched, single);
    }
}

internal static class DataViewExtensions
{
    public static IDataView Take(this IDataView data, MLContext mlContext, int count)
        => mlContext.Data.TakeRows(data, count);
}
