using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Optimization;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Trainers;

[TestClass]
public sealed class MultilayerPerceptronTrainerTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void WorkoutPasses()
        => TrainerWorkout.Run(ml => ml.MulticlassClassification.Trainers.MultilayerPerceptron(hiddenLayerSizes: [16], numberOfEpochs: 30, learningRate: 0.01, batchSize: 16), minimumAccuracy: 0.8);

    [TestMethod]
    public void DefaultsLearnBundledFashionMnist()
    {
        var mlContext = new MLContext(seed: 1);
        var (train, test) = FashionMnistFiles.Bundled(mlContext);
        var key = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        var model = mlContext.MulticlassClassification.Trainers.MultilayerPerceptron().Fit(key.Transform(train));
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(key.Transform(test)));
        // 2,000 training images, one hidden layer of 100: about 0.83 (the full set reaches 0.887).
        TestContext.WriteLine($"bundled test accuracy {metrics.MicroAccuracy:F4}");
        Assert.IsGreaterThanOrEqualTo(0.78, metrics.MicroAccuracy);
    }

    [TestMethod]
    public void EveryActivationAndOptimizerLearns()
    {
        var mlContext = new MLContext(seed: 2);
        var data = LinearTrainerTests.Blobs(mlContext);
        foreach (var activation in Enum.GetValues<ActivationFunction>())
        {
            foreach (var optimizer in Enum.GetValues<OptimizationAlgorithm>())
            {
                var options = new MultilayerPerceptronTrainer.Options
                {
                    HiddenLayerSizes = [12, 8], Activation = activation, Optimizer = optimizer, NumberOfEpochs = 25, BatchSize = 10,
                    LearningRate = optimizer switch { OptimizationAlgorithm.Sgd => 0.5, OptimizationAlgorithm.Momentum or OptimizationAlgorithm.Nesterov => 0.1, _ => 0.01 },
                    DropoutRate = 0,
                };
                var model = mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(options).Fit(data);
                var accuracy = mlContext.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy;
                Assert.IsGreaterThanOrEqualTo(0.85, accuracy, $"{activation} with {optimizer}");
            }
        }
    }

    [TestMethod]
    public void ModelExposesLayersAndScoresAreItsForwardPass()
    {
        var mlContext = new MLContext(seed: 3);
        var data = LinearTrainerTests.Blobs(mlContext);
        var transformer = mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(hiddenLayerSizes: [7, 4], numberOfEpochs: 5, batchSize: 16).Fit(data);
        var model = transformer.Model;
        CollectionAssert.AreEqual(new[] { 5, 7, 4, 3 }, model.LayerSizes.ToArray());
        Assert.HasCount(3, model.Weights);
        Assert.AreEqual(7 * 5, model.Weights[0].Length);
        Assert.AreEqual(3 * 4, model.Weights[2].Length);
        Assert.AreEqual(4, model.Biases[1].Length);
        Assert.AreEqual(5, model.History.EpochsCompleted);

        // Recompute the first row's probabilities from the exposed weights: ReLU hidden layers, softmax output.
        double[] activation = data.GetColumn<VBuffer<float>>("Features").First().DenseValues().Select(v => (double)v).ToArray();
        for (int l = 0; l < 3; l++)
        {
            int inputs = model.LayerSizes[l], outputs = model.LayerSizes[l + 1];
            var w = model.Weights[l].Span;
            var next = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                double sum = model.Biases[l].Span[o];
                for (int i = 0; i < inputs; i++)
                    sum += w[o * inputs + i] * activation[i];
                next[o] = l < 2 ? Math.Max(0, sum) : sum;
            }
            activation = next;
        }
        double max = activation.Max();
        double total = activation.Sum(s => Math.Exp(s - max));
        var scores = ScoreReader.Scores(transformer.Transform(data))[0];
        for (int c = 0; c < 3; c++)
            Assert.AreEqual(Math.Exp(activation[c] - max) / total, scores[c], 1e-5, $"probability of class {c}");
    }

    [TestMethod]
    public void ValidationFractionAndEarlyStoppingAreRecorded()
    {
        var mlContext = new MLContext(seed: 4);
        var options = new MultilayerPerceptronTrainer.Options
        {
            HiddenLayerSizes = [16], NumberOfEpochs = 60, BatchSize = 8, LearningRate = 0.01, ValidationFraction = 0.2, EarlyStoppingPatience = 3,
        };
        var history = mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(options).Fit(LinearTrainerTests.Blobs(mlContext)).Model.History;
        Assert.AreEqual(history.EpochsCompleted, history.ValidationAccuracies.Count);
        Assert.IsGreaterThan(0, history.BestEpoch);
        Assert.AreEqual(history.ValidationAccuracies.Max(), history.ValidationAccuracies[history.BestEpoch - 1]);
        Assert.IsTrue(history.StoppedEarly, "separable blobs reach their best validation accuracy long before 60 epochs");
        Assert.HasCount(history.EpochsCompleted * 15, history.Losses, "120 training rows in batches of 8");
    }

    [TestMethod]
    public void SameSeedGivesIdenticalWeights()
    {
        float[] Train(int seed)
        {
            var mlContext = new MLContext(seed: 5);
            var options = new MultilayerPerceptronTrainer.Options { Seed = seed, HiddenLayerSizes = [10], NumberOfEpochs = 20, BatchSize = 16, DropoutRate = 0.3 };
            return mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(options).Fit(LinearTrainerTests.Blobs(mlContext)).Model.Weights[0].ToArray();
        }
        CollectionAssert.AreEqual(Train(1), Train(1));
        CollectionAssert.AreNotEqual(Train(1), Train(2));
    }

    [TestMethod]
    public void BadOptionsGivePreciseMessages()
    {
        var trainers = new MLContext().MulticlassClassification.Trainers;
        LinearTrainerTests.AssertMessage(() => trainers.MultilayerPerceptron(hiddenLayerSizes: []),
            "The 'HiddenLayerSizes' option of MultilayerPerceptronTrainer must list at least one hidden layer size, such as [100]; got an empty array.");
        LinearTrainerTests.AssertMessage(() => trainers.MultilayerPerceptron(hiddenLayerSizes: [64, 0]),
            "The 'HiddenLayerSizes' option of MultilayerPerceptronTrainer must hold positive sizes; element 1 is 0.");
        LinearTrainerTests.AssertMessage(() => trainers.MultilayerPerceptron(dropoutRate: 1.0),
            "The 'DropoutRate' option of MultilayerPerceptronTrainer must be in [0, 1) (0 disables dropout); got 1.");
        LinearTrainerTests.AssertMessage(() => trainers.MultilayerPerceptron(dropoutRate: -0.1),
            "The 'DropoutRate' option of MultilayerPerceptronTrainer must be in [0, 1) (0 disables dropout); got -0.1.");
        LinearTrainerTests.AssertMessage(() => trainers.MultilayerPerceptron(learningRate: -0.1),
            "The 'LearningRate' option of MultilayerPerceptronTrainer must be positive (or null for the trainer's default); got -0.1.");
        LinearTrainerTests.AssertMessage(() => trainers.MultilayerPerceptron(new MultilayerPerceptronTrainer.Options { ValidationFraction = 1 }),
            "The 'ValidationFraction' option of MultilayerPerceptronTrainer must be in [0, 1) (0 holds out nothing); got 1.");
    }

    [TestMethod]
    public void DivergenceStopsWithAClearError()
    {
        var mlContext = new MLContext(seed: 6);
        // Features in the thousands (unscaled), leaky ReLUs (which never go silent) and a learning rate of 10⁴:
        // activations overflow within a few steps.
        var rows = SyntheticData.Blobs(50, 3, 5, 1.5f, seed: 1);
        foreach (var row in rows)
        {
            for (int j = 0; j < row.Features.Length; j++)
                row.Features[j] *= 1000;
        }
        var data = SyntheticData.ToDataView(mlContext, rows, 5);
        var keyed = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var trainer = mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(new MultilayerPerceptronTrainer.Options
        {
            HiddenLayerSizes = [32, 32], Activation = ActivationFunction.LeakyRelu, Optimizer = OptimizationAlgorithm.Momentum, LearningRate = 1e4, NumberOfEpochs = 20, BatchSize = 10,
        });
        var error = Assert.ThrowsExactly<TrainingDivergedException>(() => trainer.Fit(keyed));
        StringAssert.Contains(error.Message, "Lower the learning rate (for example to 1000)");
    }
}
