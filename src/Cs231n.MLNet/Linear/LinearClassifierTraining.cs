using System.Globalization;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Optimization;
using Cs231n.MLNet.Training;

namespace Cs231n.MLNet.Linear;

/// <summary>
/// Fit of both linear classifiers: the network with a single affine layer, trained by the shared solver. The bias
/// is mathematically the bias trick's extra weight column on a constant-1 feature; it is kept as its own vector so the
/// data need not be copied with that column appended, and it is not L2-penalised.
/// </summary>
internal static class LinearClassifierTraining
{
    /// <summary>Examples visited at most by default: 10 epochs of 60,000 rows, and up to 1,000 epochs of small data.</summary>
    public const long ExampleBudget = 600_000;

    /// <summary>λ is cross-validated among these multiples of 1 / rows (1 is scikit-learn's C = 1); the first is used on large data.</summary>
    public static readonly double[] L2Multiples = [1, 0.1, 10, 100];

    /// <summary>
    /// Largest training set, in rows × features, on which λ is cross-validated: twelve extra fits, each of a fraction of a
    /// second there (10,000 rows of 50 features; 2,000 images of 784 pixels are past it). Larger data needs little
    /// regularisation, and 1/rows serves.
    /// </summary>
    public const long L2SearchSizeLimit = 500_000;

    public static LinearClassifierModelParameters Train(LinearTrainerOptions options, LinearClassifierLoss lossKind, double margin,
        double relativeStep, LabeledDataset<float> train, LabeledDataset<float>? validation, TrainingChannel channel, string trainerName)
    {
        int seed = options.Seed ?? channel.NextSeed();
        NeuralNetwork<float> CreateNetwork()
        {
            ClassificationLoss<float> loss = lossKind == LinearClassifierLoss.MulticlassHinge
                ? new MulticlassHingeLoss<float>(margin)
                : new SoftmaxCrossEntropyLoss<float>();
            var layer = new AffineLayer<float>(train.FeatureCount, train.ClassCount, WeightInitialization.Scaled, options.WeightInitializationScale);
            var network = new NeuralNetwork<float>([layer], loss);
            network.Initialize(seed);
            return network;
        }
        Optimizer<float> CreateOptimizer() => options.Momentum > 0 ? new MomentumOptimizer<float>(options.Momentum) : new SgdOptimizer<float>();
        var defaults = new TrainingDefaults(ExampleBudget,
            set => relativeStep / LinearStepSize.LargestEigenvalue(set, seed),
            string.Create(CultureInfo.InvariantCulture, $"{relativeStep:G3} / λmax of the features' second moment"),
            rows => 1.0 / rows, L2Multiples, L2SearchSizeLimit);
        var (network, history) = NetworkTraining.Train(CreateNetwork, CreateOptimizer, options, seed, train, validation, channel, trainerName, defaults);
        var affine = (AffineLayer<float>)network.Layers[0];
        return new LinearClassifierModelParameters(affine.Weights.Value, affine.Bias.Value, train.ClassCount, train.FeatureCount, lossKind, history);
    }
}
