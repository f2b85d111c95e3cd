using Cs231n.MLNet.Losses;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Tests.Engine;

[TestClass]
public sealed class SolverTests
{
    [TestMethod]
    public void MlpOverfitsFiftyExamples()
    {
        var data = EngineData.Noise(50, 20, 10, seed: 1);
        var network = Mlp(20, 10, hidden: 100, dropout: 0);
        var history = new Solver<float>(network, new AdamOptimizer<float>(),
            new SolverOptions { NumberOfEpochs = 100, BatchSize = 25, LearningRate = 1e-2, Seed = 1 }).Train(data);
        Assert.AreEqual(1.0, history.TrainAccuracies[^1], "a small network memorises 50 random examples");
        Assert.IsLessThan(0.05, history.Losses[^1]);
    }

    [TestMethod]
    public void HistoryRecordsTheMeanRateOfEachEpochsUpdatesIncludingTheAnnealing()
    {
        // 4 epochs of 4 updates; the annealing covers the last half of the 16 updates: a half cosine from update 8 on.
        var data = EngineData.Noise(40, 6, 3, seed: 5);
        var history = new Solver<float>(Linear(6, 3, softmax: true), new SgdOptimizer<float>(),
            new SolverOptions { NumberOfEpochs = 4, BatchSize = 10, LearningRate = 0.1, AnnealingFraction = 0.5, EarlyStoppingPatience = 0, Seed = 5 }).Train(data);

        double Factor(int update) => update <= 8 ? 1 : 0.5 * (1 + Math.Cos(Math.PI * (update / 16.0 - 0.5) / 0.5));
        for (int epoch = 0; epoch < 4; epoch++)
        {
            double expected = Enumerable.Range(4 * epoch, 4).Average(u => 0.1 * Factor(u));
            Assert.AreEqual(expected, history.LearningRates[epoch], 1e-9, $"epoch {epoch + 1}");
        }
        Assert.AreEqual(0.1, history.LearningRates[1], 1e-12, "no annealing before its start");
        Assert.IsLessThan(history.LearningRates[2], history.LearningRates[3]);
    }

    [TestMethod]
    public void LinearClassifiersDriveTheLossOnTwentyExamplesNearZero()
    {
        var data = EngineData.Noise(20, 60, 10, seed: 2);
        foreach (bool softmax in new[] { true, false })
        {
            var network = Linear(60, 10, softmax);
            var history = new Solver<float>(network, new MomentumOptimizer<float>(0.9),
                new SolverOptions { NumberOfEpochs = 200, BatchSize = 20, LearningRate = 0.5, Seed = 2 }).Train(data);
            Assert.AreEqual(1.0, history.TrainAccuracies[^1], softmax ? "softmax" : "SVM");
            Assert.IsLessThan(0.05, history.Losses[^1], softmax ? "softmax" : "SVM");
        }
    }

    [TestMethod]
    public void ClassifiersLearnSeparableBlobs()
    {
        var (train, test) = EngineData.BlobsSplit(1000, 500, 30, 5, spread: 0.15, seed: 3);
        foreach (var (name, network) in new[] { ("softmax", Linear(30, 5, true)), ("SVM", Linear(30, 5, false)), ("MLP", Mlp(30, 5, 32, 0.1)) })
        {
            var solver = new Solver<float>(network, new MomentumOptimizer<float>(),
                new SolverOptions { NumberOfEpochs = 10, BatchSize = 50, LearningRate = 0.05, Seed = 3 });
            solver.Train(train);
            double accuracy = solver.Accuracy(test, Enumerable.Range(0, test.Count).ToArray());
            Assert.IsGreaterThanOrEqualTo(0.95, accuracy, name);
        }
    }

    [TestMethod]
    public void SameSeedGivesBitIdenticalWeights()
    {
        var data = EngineData.Blobs(300, 12, 3, spread: 0.3, seed: 4);
        float[][] Train(int seed)
        {
            var network = Mlp(12, 3, hidden: 16, dropout: 0.3, seed: seed);
            new Solver<float>(network, new AdamOptimizer<float>(),
                new SolverOptions { NumberOfEpochs = 3, BatchSize = 32, LearningRate = 1e-2, Seed = seed, L2Regularization = 1e-3 }).Train(data);
            return network.Parameters.Select(p => (float[])p.Value.Clone()).ToArray();
        }
        var first = Train(5);
        var second = Train(5);
        var other = Train(6);
        for (int p = 0; p < first.Length; p++)
            CollectionAssert.AreEqual(first[p], second[p], $"parameter {p}");
        Assert.IsFalse(first[0].SequenceEqual(other[0]), "another seed gives other weights");
    }

    [TestMethod]
    public void HistoryAndProgressAreRecorded()
    {
        var (train, validation) = EngineData.BlobsSplit(250, 100, 8, 4, spread: 0.3, seed: 7);
        var reports = new List<TrainingProgress>();
        var history = new Solver<float>(Linear(8, 4, true), new SgdOptimizer<float>(), new SolverOptions
        {
            NumberOfEpochs = 4, BatchSize = 100, LearningRate = 0.5, EpochCompleted = reports.Add,
            LearningRateSchedule = LearningRateSchedule.ExponentialDecay(0.5),
        }).Train(train, validation);
        Assert.HasCount(4 * 3, history.Losses, "three minibatches (100, 100, 50) per epoch");
        Assert.HasCount(4, history.TrainAccuracies);
        Assert.HasCount(4, history.ValidationAccuracies);
        Assert.HasCount(4, reports);
        Assert.AreEqual(0.5 * 0.125, reports[3].LearningRate, 1e-15);
        Assert.AreEqual(history.ValidationAccuracies[2], reports[2].ValidationAccuracy);
        StringAssert.StartsWith(reports[0].ToString(), "Epoch 1/4: loss ");
    }

    [TestMethod]
    public void EarlyStoppingRestoresTheBestValidationWeights()
    {
        // Overlapping blobs and a learning rate too high to settle: validation accuracy wanders, so the best epoch
        // is usually not the last one.
        var (train, validation) = EngineData.BlobsSplit(400, 200, 10, 4, spread: 0.6, seed: 8);
        var network = Mlp(10, 4, hidden: 64, dropout: 0);
        var solver = new Solver<float>(network, new SgdOptimizer<float>(),
            new SolverOptions { NumberOfEpochs = 40, BatchSize = 10, LearningRate = 0.3, EarlyStoppingPatience = 3, Seed = 8 });
        var history = solver.Train(train, validation);

        double best = history.ValidationAccuracies.Max();
        Assert.AreEqual(best, history.ValidationAccuracies[history.BestEpoch - 1]);
        Assert.AreEqual(best, solver.Accuracy(validation, Enumerable.Range(0, validation.Count).ToArray()), "the network holds the best epoch's weights");
        if (history.StoppedEarly)
            Assert.AreEqual(history.BestEpoch + 3, history.EpochsCompleted, "stops after 3 epochs without improvement");
        Assert.IsTrue(history.StoppedEarly || history.EpochsCompleted == 40);
    }

    [TestMethod]
    public void ValidationFractionHoldsOutTrainingRows()
    {
        var data = EngineData.Blobs(200, 5, 2, spread: 0.2, seed: 10);
        var history = new Solver<float>(Linear(5, 2, true), new SgdOptimizer<float>(),
            new SolverOptions { NumberOfEpochs = 2, BatchSize = 40, LearningRate = 0.1, ValidationFraction = 0.2 }).Train(data);
        Assert.HasCount(2, history.ValidationAccuracies);
        Assert.HasCount(2 * 4, history.Losses, "160 training rows in batches of 40");
    }

    [TestMethod]
    public void DivergenceStopsWithAClearError()
    {
        var data = EngineData.Blobs(200, 20, 5, spread: 50, seed: 11);
        // Unscaled features and a learning rate far too high: ReLU activations grow multiplicatively until they overflow.
        var solver = new Solver<float>(Mlp(20, 5, hidden: 50, dropout: 0), new MomentumOptimizer<float>(),
            new SolverOptions { NumberOfEpochs = 50, BatchSize = 20, LearningRate = 10 });
        var error = Assert.ThrowsExactly<TrainingDivergedException>(() => solver.Train(data));
        StringAssert.Contains(error.Message, "Training diverged: the loss became");
        StringAssert.Contains(error.Message, "Lower the learning rate");
        Assert.IsFalse(double.IsFinite(error.Loss));
    }

    [TestMethod]
    public void CancellationStopsBetweenBatches()
    {
        var data = EngineData.Blobs(200, 5, 2, spread: 0.2, seed: 12);
        int batches = 0;
        var solver = new Solver<float>(Linear(5, 2, true), new SgdOptimizer<float>(), new SolverOptions
        {
            NumberOfEpochs = 10, BatchSize = 10, LearningRate = 0.1,
            CheckCancellation = () => { if (++batches > 7) throw new OperationCanceledException(); },
        });
        Assert.ThrowsExactly<OperationCanceledException>(() => solver.Train(data));
        Assert.AreEqual(8, batches);
    }

    [TestMethod]
    public void BadOptionsGivePreciseMessages()
    {
        AssertInvalid(o => o.LearningRate = -0.1, "The 'LearningRate' option must be positive; got -0.1.");
        AssertInvalid(o => o.BatchSize = 0, "The 'BatchSize' option must be at least 1; got 0.");
        AssertInvalid(o => o.NumberOfEpochs = 0, "The 'NumberOfEpochs' option must be at least 1; got 0.");
        AssertInvalid(o => o.L2Regularization = -1, "The 'L2Regularization' option must be finite and non-negative; got -1.");
        AssertInvalid(o => o.ValidationFraction = 1, "The 'ValidationFraction' option must be in [0, 1) (0 holds out nothing); got 1.");
        AssertInvalid(o => o.EarlyStoppingPatience = -2, "The 'EarlyStoppingPatience' option must be non-negative (0 runs exactly NumberOfEpochs epochs); got -2.");
    }

    [TestMethod]
    public void DataThatDoesNotFitTheNetworkIsReported()
    {
        var solver = new Solver<float>(Linear(5, 2, true), new SgdOptimizer<float>(), new SolverOptions());
        var wrongWidth = EngineData.Blobs(10, 4, 2, 0.1, seed: 1);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => solver.Train(wrongWidth)).Message, "has 4 features but the network expects 5");
        var tooManyClasses = EngineData.Blobs(10, 5, 3, 0.1, seed: 1);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => solver.Train(tooManyClasses)).Message, "Label 2 of training row 2 is outside [0, 2)");
    }

    private static void AssertInvalid(Action<SolverOptions> change, string message)
    {
        var options = new SolverOptions();
        change(options);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Solver<float>(Linear(3, 2, true), new SgdOptimizer<float>(), options));
        StringAssert.StartsWith(error.Message, message);
    }

    internal static NeuralNetwork<float> Linear(int features, int classes, bool softmax)
    {
        ClassificationLoss<float> loss = softmax ? new SoftmaxCrossEntropyLoss<float>() : new MulticlassHingeLoss<float>();
        var network = new NeuralNetwork<float>([new AffineLayer<float>(features, classes, WeightInitialization.Scaled, 1e-3)], loss);
        network.Initialize(seed: 0);
        return network;
    }

    internal static NeuralNetwork<float> Mlp(int features, int classes, int hidden, double dropout, int seed = 0)
    {
        var network = new NeuralNetwork<float>(
        [
            new AffineLayer<float>(features, hidden), new ReluLayer<float>(hidden), new DropoutLayer<float>(hidden, dropout, seed),
            new AffineLayer<float>(hidden, classes),
        ], new SoftmaxCrossEntropyLoss<float>());
        network.Initialize(seed);
        return network;
    }
}
