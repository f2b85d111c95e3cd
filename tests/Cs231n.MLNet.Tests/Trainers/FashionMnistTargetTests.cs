using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;

namespace Cs231n.MLNet.Tests.Trainers;

/// <summary>
/// The accuracy targets on full Fashion-MNIST (60,000 train / 10,000 test, pixels/255, default options). Minutes
/// long, so in the Long category; Fit times are printed for the record, never asserted.
/// </summary>
[TestClass]
[TestCategory("Long")]
public sealed class FashionMnistTargetTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void LinearClassifiersReachTheirTargets()
    {
        var mlContext = new MLContext(seed: 1);
        var (train, test) = PrepareFull(mlContext);
        var trainers = mlContext.MulticlassClassification.Trainers;
        // Untimed warm-up on the bundled subset, so that no measured Fit pays for compiling the shared data path.
        var (smallTrain, _) = FashionMnistFiles.Bundled(mlContext);
        var smallKeyed = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(smallTrain).Transform(smallTrain);
        foreach (var trainer in new IEstimator<ITransformer>[] { trainers.Softmax(), trainers.MulticlassSvm(), trainers.SdcaMaximumEntropy() })
            trainer.Fit(smallKeyed);
        var softmax = Measure(mlContext, "Softmax", trainers.Softmax(), train, test);
        var svm = Measure(mlContext, "MulticlassSvm", trainers.MulticlassSvm(), train, test);
        Measure(mlContext, "SdcaMaximumEntropy (reference)", trainers.SdcaMaximumEntropy(), train, test);
        // L-BFGS logistic regression gives 0.8454; the softmax defaults give 0.8450–0.8457 across seeds.
        Assert.IsGreaterThanOrEqualTo(0.845, softmax, "softmax test accuracy");
        Assert.IsGreaterThanOrEqualTo(0.840, svm, "SVM test accuracy");
    }

    [TestMethod]
    public void MultilayerPerceptron512x256ReachesNinetyPercent()
    {
        var mlContext = new MLContext(seed: 1);
        var (train, test) = PrepareFull(mlContext);
        var trainer = mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(hiddenLayerSizes: [512, 256], numberOfEpochs: 30);
        double accuracy = Measure(mlContext, "MultilayerPerceptron [512, 256], 30 epochs", trainer, train, test, printHistory: true);
        Assert.IsGreaterThanOrEqualTo(0.900, accuracy);
    }

    [TestMethod]
    public void MultilayerPerceptron100MatchesScikitLearn()
    {
        var mlContext = new MLContext(seed: 1);
        var (train, test) = PrepareFull(mlContext);
        double accuracy = Measure(mlContext, "MultilayerPerceptron [100] (defaults)", mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(), train, test);
        Assert.IsGreaterThanOrEqualTo(0.884, accuracy);
    }

    private static (IDataView Train, IDataView Test) PrepareFull(MLContext mlContext)
    {
        var (train, test) = FashionMnistFiles.Full(mlContext);
        var key = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        // Fit times include reading the view: the label mapping and pixel/255 conversion happen as the trainer reads.
        return (key.Transform(train), key.Transform(test));
    }

    private double Measure(MLContext mlContext, string name, IEstimator<ITransformer> trainer, IDataView train, IDataView test, bool printHistory = false)
    {
        var clock = Stopwatch.StartNew();
        var model = trainer.Fit(train);
        double seconds = clock.Elapsed.TotalSeconds;
        double accuracy = mlContext.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
        TestContext.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}: test accuracy {1:F4}, Fit {2:F1} s", name, accuracy, seconds));
        if (printHistory && model is MulticlassBatchPredictionTransformer<MultilayerPerceptronModelParameters> mlp)
        {
            var history = mlp.Model.History;
            int perEpoch = history.Losses.Count / history.EpochsCompleted;
            for (int e = 0; e < history.EpochsCompleted; e++)
            {
                double meanLoss = history.Losses.Skip(e * perEpoch).Take(perEpoch).Average();
                TestContext.WriteLine(string.Format(CultureInfo.InvariantCulture, "  epoch {0,2}: mean loss {1:F4}, train accuracy {2:F4}", e + 1, meanLoss, history.TrainAccuracies[e]));
            }
        }
        return accuracy;
    }
}
