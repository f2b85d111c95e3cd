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
    public static LinearClassifierModelParameters Train(LinearTrainerOptions options, LinearClassifierLoss lossKind, double margin,
        TrainingSet train, TrainingSet? validation, TrainingChannel channel, string trainerName)
    {
        ClassificationLoss<float> loss = lossKind == LinearClassifierLoss.MulticlassHinge
            ? new MulticlassHingeLoss<float>(margin)
            : new SoftmaxCrossEntropyLoss<float>();
        var affine = new AffineLayer<float>(train.FeatureCount, train.ClassCount, WeightInitialization.Scaled, options.WeightInitializationScale);
        var network = new NeuralNetwork<float>([affine], loss);
        int seed = options.Seed ?? channel.NextSeed();
        network.Initialize(seed);
        Optimizer<float> optimizer = options.Momentum > 0 ? new MomentumOptimizer<float>(options.Momentum) : new SgdOptimizer<float>();
        var history = NetworkTraining.Train(network, optimizer, options, seed, train, validation, channel, trainerName);
        return new LinearClassifierModelParameters(affine.Weights.Value, affine.Bias.Value, train.ClassCount, train.FeatureCount, lossKind, history);
    }
}
