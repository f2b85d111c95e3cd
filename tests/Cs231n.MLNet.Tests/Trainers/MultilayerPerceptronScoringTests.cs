using Microsoft.ML;
using Cs231n.MLNet.Numerics;
using Cs231n.MLNet.Tests.Numerics;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Trainers;

/// <summary>
/// A row's MLP scores must not depend on how many rows are scored with it: PredictionEngine (one row), Transform
/// (blocks of up to 1,024) and any thread count give the same bits.
/// </summary>
[TestClass]
public sealed class MultilayerPerceptronScoringTests
{
    private const int Dimension = 300;

    [TestMethod]
    [DataRow(ActivationFunction.Relu)]
    [DataRow(ActivationFunction.Tanh)]
    public void PredictionEngineAndBlockScoringAreBitIdentical(ActivationFunction activation)
    {
        var mlContext = new MLContext(seed: 4);
        var rows = SyntheticData.Blobs(rowsPerClass: 120, classCount: 5, dimension: Dimension, spread: 3f, seed: 8);
        var train = SyntheticData.ToDataView(mlContext, rows.Take(300), Dimension);
        var testRows = rows.Skip(300).ToList();
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(new MultilayerPerceptronTrainer.Options
                { HiddenLayerSizes = [130, 70], Activation = activation, NumberOfEpochs = 3, BatchSize = 32 }))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);

        var scored = model.Transform(SyntheticData.ToDataView(mlContext, testRows, Dimension));
        var blockScores = ScoreReader.Scores(scored);
        Assert.IsTrue(blockScores.Any(s => s.Max() < 0.999f), "the scores should not all be saturated, or the check says little");
        var engine = mlContext.Model.CreatePredictionEngine<LabelledRow, TrainerWorkout.Prediction>(model, inputSchemaDefinition: SyntheticData.SchemaFor(Dimension));
        var singleScores = testRows.Select(r => engine.Predict(r).Score).ToList();
        ScoreReader.AssertBitIdentical(blockScores, singleScores);

        // Blocks split differently over one thread, and over every processor, give the same bits again.
        foreach (int threads in new[] { 1, Environment.ProcessorCount })
        {
            using var scope = new NumericsSettingsScope(threads: threads);
            ScoreReader.AssertBitIdentical(blockScores, ScoreReader.Scores(model.Transform(SyntheticData.ToDataView(mlContext, testRows, Dimension))));
        }
    }
}
