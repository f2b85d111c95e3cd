using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.Trainers;

/// <summary>Saved models keep every piece of learned state the model parameters expose, history included.</summary>
[TestClass]
public sealed class ModelPersistenceTests
{
    [TestMethod]
    public void LinearModelRoundTripsWeightsBiasAndHistory()
    {
        var mlContext = new MLContext(seed: 1);
        var data = LinearTrainerTests.Blobs(mlContext);
        var validation = LinearTrainerTests.Blobs(mlContext, seed: 2);
        var original = mlContext.MulticlassClassification.Trainers.Softmax(new SoftmaxTrainer.Options { NumberOfEpochs = 3, BatchSize = 32 }).Fit(data, validation).Model;
        var loaded = RoundTrip<LinearClassifierModelParameters>(mlContext, original, data);

        CollectionAssert.AreEqual(original.Weights.ToArray(), loaded.Weights.ToArray());
        CollectionAssert.AreEqual(original.Bias.ToArray(), loaded.Bias.ToArray());
        Assert.AreEqual(original.Loss, loaded.Loss);
        AssertSameHistory(original.History, loaded.History);
    }

    [TestMethod]
    public void MlpModelRoundTripsLayersAndHistory()
    {
        var mlContext = new MLContext(seed: 3);
        var data = LinearTrainerTests.Blobs(mlContext);
        var original = mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(new MultilayerPerceptronTrainer.Options
        {
            HiddenLayerSizes = [6, 5], Activation = ActivationFunction.Tanh, NumberOfEpochs = 30, ValidationFraction = 0.2,
        }).Fit(data).Model;
        var loaded = RoundTrip<MultilayerPerceptronModelParameters>(mlContext, original, data);

        CollectionAssert.AreEqual(original.LayerSizes.ToArray(), loaded.LayerSizes.ToArray());
        Assert.AreEqual(ActivationFunction.Tanh, loaded.Activation);
        for (int l = 0; l < original.Weights.Count; l++)
        {
            CollectionAssert.AreEqual(original.Weights[l].ToArray(), loaded.Weights[l].ToArray(), $"W{l}");
            CollectionAssert.AreEqual(original.Biases[l].ToArray(), loaded.Biases[l].ToArray(), $"b{l}");
        }
        AssertSameHistory(original.History, loaded.History);
    }

    private static TModel RoundTrip<TModel>(MLContext mlContext, TModel model, IDataView data) where TModel : Cs231nModelParameters
    {
        var transformer = new MulticlassBatchPredictionTransformer<TModel>(model, "Features", data.Schema["Label"]);
        using var stream = new MemoryStream();
        mlContext.Model.Save(transformer, data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext(seed: 9).Model.Load(stream, out _);
        return ((MulticlassBatchPredictionTransformer<TModel>)loaded).Model;
    }

    private static void AssertSameHistory(TrainingHistory expected, TrainingHistory actual)
    {
        CollectionAssert.AreEqual(expected.Losses.ToArray(), actual.Losses.ToArray());
        CollectionAssert.AreEqual(expected.TrainAccuracies.ToArray(), actual.TrainAccuracies.ToArray());
        CollectionAssert.AreEqual(expected.ValidationAccuracies.ToArray(), actual.ValidationAccuracies.ToArray());
        Assert.IsNotEmpty(actual.ValidationAccuracies);
        Assert.AreEqual(expected.BestEpoch, actual.BestEpoch);
        Assert.AreEqual(expected.StoppedEarly, actual.StoppedEarly);
        Assert.AreEqual(expected.StopReason, actual.StopReason);
        CollectionAssert.AreEqual(expected.LearningRates.ToArray(), actual.LearningRates.ToArray());
        CollectionAssert.AreEqual(expected.EpochLosses.ToArray(), actual.EpochLosses.ToArray());
        Assert.HasCount(expected.EpochsCompleted, actual.LearningRates);
        Assert.AreEqual(expected.KeptAveragedWeights, actual.KeptAveragedWeights);
    }
}
