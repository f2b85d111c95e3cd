using Microsoft.ML;
using Cs231n.MLNet.Numerics;
using Cs231n.MLNet.Tests.Numerics;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Trainers;

/// <summary>
/// A row's scores must not depend on how many rows are scored with it: PredictionEngine (one row), Transform
/// (blocks of up to 1,024) and any thread count give the same bits, for the perceptron and the linear models.
/// </summary>
[TestClass]
public sealed class BatchAndSingleRowScoringTests
{
    private const int Dimension = 300;

    [TestMethod]
    [DataRow(ActivationFunction.Relu)]
    [DataRow(ActivationFunction.Tanh)]
    public void PerceptronScoresAreBitIdenticalAloneAndInBlocks(ActivationFunction activation)
        => AssertBitIdenticalAloneAndInBlocks(mlContext => mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(new MultilayerPerceptronTrainer.Options
            { HiddenLayerSizes = [130, 70], Activation = activation, NumberOfEpochs = 3, BatchSize = 32 }));

    [TestMethod]
    public void SoftmaxScoresAreBitIdenticalAloneAndInBlocks()
        => AssertBitIdenticalAloneAndInBlocks(mlContext => mlContext.MulticlassClassification.Trainers.Softmax(numberOfEpochs: 3));

    [TestMethod]
    public void SvmScoresAreBitIdenticalAloneAndInBlocks()
        => AssertBitIdenticalAloneAndInBlocks(mlContext => mlContext.MulticlassClassification.Trainers.MulticlassSvm(numberOfEpochs: 3));

    private static void AssertBitIdenticalAloneAndInBlocks(Func<MLContext, IEstimator<ITransformer>> trainer)
    {
        var mlContext = new MLContext(seed: 4);
        // Small feature values, so that a few epochs leave the probabilities far from saturated.
        var rows = SyntheticData.Blobs(rowsPerClass: 120, classCount: 5, dimension: Dimension, spread: 3f, seed: 8)
            .Select(r => new LabelledRow { Label = r.Label, Features = r.Features.Select(v => v * 0.01f).ToArray() }).ToList();
        var train = SyntheticData.ToDataView(mlContext, rows.Take(300), Dimension);
        var testRows = rows.Skip(300).ToList();
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(trainer(mlContext))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);

        var scored = model.Transform(SyntheticData.ToDataView(mlContext, testRows, Dimension));
        var blockScores = ScoreReader.Scores(scored);
        Assert.IsGreaterThan(100, blockScores.SelectMany(s => s).Distinct().Count(), "the scores should vary from row to row, or the check says little");
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
