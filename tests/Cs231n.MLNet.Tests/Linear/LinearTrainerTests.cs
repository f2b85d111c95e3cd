using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Optimization;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Trainers;

[TestClass]
public sealed class LinearTrainerTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void MulticlassSvmWorkoutPasses()
        => TrainerWorkout.Run(ml => ml.MulticlassClassification.Trainers.MulticlassSvm(numberOfEpochs: 30, batchSize: 16), minimumAccuracy: 0.8);

    [TestMethod]
    public void SoftmaxWorkoutPasses()
        => TrainerWorkout.Run(ml => ml.MulticlassClassification.Trainers.Softmax(numberOfEpochs: 30, batchSize: 16), minimumAccuracy: 0.8);

    [TestMethod]
    public void DefaultsLearnBundledFashionMnist()
    {
        var mlContext = new MLContext(seed: 1);
        var (train, test) = FashionMnistFiles.Bundled(mlContext);
        var key = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        // 2,000 training images: about 0.82 for both with the defaults (the full set reaches 0.84).
        foreach (var (name, trainer) in new (string, IEstimator<ITransformer>)[]
        {
            ("SVM", mlContext.MulticlassClassification.Trainers.MulticlassSvm()),
            ("softmax", mlContext.MulticlassClassification.Trainers.Softmax()),
        })
        {
            var model = trainer.Fit(key.Transform(train));
            var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(key.Transform(test)));
            TestContext.WriteLine($"{name}: bundled test accuracy {metrics.MicroAccuracy:F4}");
            Assert.IsGreaterThanOrEqualTo(0.75, metrics.MicroAccuracy, $"{name} test accuracy on the bundled subset");
        }
    }

    [TestMethod]
    public void ScoresAreRawForSvmAndProbabilitiesForSoftmax()
    {
        var mlContext = new MLContext(seed: 2);
        var data = Blobs(mlContext);
        var svm = mlContext.MulticlassClassification.Trainers.MulticlassSvm().Fit(data);
        var softmax = mlContext.MulticlassClassification.Trainers.Softmax().Fit(data);

        var svmScores = ScoreReader.Scores(svm.Transform(data));
        var softmaxScores = ScoreReader.Scores(softmax.Transform(data));
        Assert.IsTrue(softmaxScores.All(s => Math.Abs(s.Sum() - 1) < 1e-5 && s.All(p => p >= 0)), "softmax scores are probabilities");
        Assert.IsTrue(svmScores.Any(s => s.Any(v => v < 0)) && svmScores.Any(s => Math.Abs(s.Sum() - 1) > 0.01), "SVM scores are raw");

        // Score = W·x + b with W classes×features, as exposed.
        var model = svm.Model;
        Assert.AreEqual(LinearClassifierLoss.MulticlassHinge, model.Loss);
        Assert.AreEqual(model.ClassCount * model.FeatureCount, model.Weights.Length);
        var features = data.GetColumn<VBuffer<float>>("Features").First().DenseValues().ToArray();
        for (int c = 0; c < model.ClassCount; c++)
        {
            double expected = model.Bias.Span[c];
            var w = model.GetClassWeights(c);
            for (int j = 0; j < features.Length; j++)
                expected += w[j] * features[j];
            Assert.AreEqual(expected, svmScores[0][c], 1e-4, $"class {c}");
        }
    }

    [TestMethod]
    public void HistoryProgressAndLogAreRecorded()
    {
        var mlContext = new MLContext(seed: 3);
        var log = new List<string>();
        mlContext.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Message.Contains("Epoch")) log.Add(e.Message); };
        var reports = new List<TrainingProgress>();
        var options = new SoftmaxTrainer.Options { NumberOfEpochs = 4, BatchSize = 50, Progress = new SynchronousProgress(reports.Add) };
        var data = Blobs(mlContext);
        var validation = Blobs(mlContext, seed: 9);
        var model = mlContext.MulticlassClassification.Trainers.Softmax(options).Fit(data, validation).Model;

        Assert.HasCount(4 * 3, model.History.Losses, "150 rows in batches of 50, 4 epochs");
        Assert.HasCount(4, model.History.TrainAccuracies);
        Assert.HasCount(4, model.History.ValidationAccuracies);
        Assert.HasCount(4, reports);
        Assert.HasCount(4, log);
        StringAssert.Contains(log[0], "SoftmaxTrainer: Epoch 1/4: loss ");
    }

    [TestMethod]
    public void StepDecayScheduleSetsTheRateOfEachEpoch()
    {
        var mlContext = new MLContext(seed: 3);
        var reports = new List<TrainingProgress>();
        var options = new SoftmaxTrainer.Options
        {
            NumberOfEpochs = 5, EarlyStoppingPatience = 0, BatchSize = 50, LearningRate = 0.08,
            LearningRateSchedule = LearningRateSchedule.StepDecay(2, 0.5), Progress = new SynchronousProgress(reports.Add),
        };
        mlContext.MulticlassClassification.Trainers.Softmax(options).Fit(Blobs(mlContext));

        // PyTorch's StepLR(step_size=2, gamma=0.5): 0.08, 0.08, 0.04, 0.04, 0.02.
        CollectionAssert.AreEqual(new[] { 0.08, 0.08, 0.04, 0.04, 0.02 }, reports.Select(r => Math.Round(r.LearningRate, 12)).ToArray());
        AssertMessage(() => mlContext.MulticlassClassification.Trainers.Softmax(new SoftmaxTrainer.Options
        {
            LearningRateSchedule = LearningRateSchedule.StepDecay(2, 0.5), LearningRateDecay = 0.9,
        }), "The 'LearningRateDecay' option of SoftmaxTrainer must be 1 when a LearningRateSchedule (×0.5 every 2 epochs) is set; give the decay in the schedule; got 0.9.");
    }

    [TestMethod]
    public void BadOptionsGivePreciseMessages()
    {
        var mlContext = new MLContext();
        var trainers = mlContext.MulticlassClassification.Trainers;
        AssertMessage(() => trainers.Softmax(learningRate: -0.1), "The 'LearningRate' option of SoftmaxTrainer must be positive (or null for the trainer's default); got -0.1.");
        AssertMessage(() => trainers.MulticlassSvm(l2Regularization: -1), "The 'L2Regularization' option of MulticlassSvmTrainer must be finite and non-negative (or null for the trainer's default); got -1.");
        AssertMessage(() => trainers.Softmax(batchSize: 0), "The 'BatchSize' option of SoftmaxTrainer must be at least 1 (or null to choose it from the data); got 0.");
        AssertMessage(() => trainers.MulticlassSvm(numberOfEpochs: 0), "The 'NumberOfEpochs' option of MulticlassSvmTrainer must be at least 1 (or null to choose it from the data); got 0.");
        AssertMessage(() => trainers.MulticlassSvm(new MulticlassSvmTrainer.Options { Margin = 0 }), "The 'Margin' option of MulticlassSvmTrainer must be positive and finite; got 0.");
        AssertMessage(() => trainers.Softmax(new SoftmaxTrainer.Options { Momentum = 1 }), "The 'Momentum' option of SoftmaxTrainer must be in [0, 1) (0 gives plain SGD); got 1.");
        AssertMessage(() => trainers.Softmax(new SoftmaxTrainer.Options { LearningRateDecay = 0 }), "The 'LearningRateDecay' option of SoftmaxTrainer must be in (0, 1] (1 keeps the rate constant); got 0.");
    }

    [TestMethod]
    public void DivergenceStopsWithAClearError()
    {
        var mlContext = new MLContext(seed: 4);
        var trainer = mlContext.MulticlassClassification.Trainers.MulticlassSvm(new MulticlassSvmTrainer.Options { LearningRate = 1e38, NumberOfEpochs = 5 });
        var error = Assert.ThrowsExactly<TrainingDivergedException>(() => trainer.Fit(Blobs(mlContext)));
        StringAssert.Contains(error.Message, "Lower the learning rate");
    }

    [TestMethod]
    public void SameSeedGivesIdenticalWeights()
    {
        float[] Train(int seed)
        {
            var mlContext = new MLContext(seed: 5);
            return mlContext.MulticlassClassification.Trainers.Softmax(new SoftmaxTrainer.Options { Seed = seed, NumberOfEpochs = 3, BatchSize = 16 })
                .Fit(Blobs(mlContext)).Model.Weights.ToArray();
        }
        CollectionAssert.AreEqual(Train(1), Train(1));
        CollectionAssert.AreNotEqual(Train(1), Train(2));
    }

    internal static IDataView Blobs(MLContext mlContext, int seed = 1)
    {
        var data = SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(50, 3, 5, 1.5f, seed), 5);
        return mlContext.Transforms.Conversion.MapValueToKey("Label").Append(mlContext.Transforms.NormalizeMinMax("Features")).Fit(data).Transform(data);
    }

    internal static void AssertMessage(Func<object> create, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => create());
        StringAssert.StartsWith(error.Message, message);
    }

    /// <summary>Reports on the calling thread (System.Progress posts to a synchronisation context).</summary>
    internal sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
