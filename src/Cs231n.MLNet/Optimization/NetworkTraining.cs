using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Training;

namespace Cs231n.MLNet.Optimization;

/// <summary>The part of Fit that every gradient trainer shares: run the solver with ML.NET's log, cancellation and seed.</summary>
internal static class NetworkTraining
{
    /// <summary>Creates the optimiser for <paramref name="algorithm"/> with CS231n's default hyper-parameters.</summary>
    public static Optimizer<float> CreateOptimizer(OptimizationAlgorithm algorithm) => algorithm switch
    {
        OptimizationAlgorithm.Sgd => new SgdOptimizer<float>(),
        OptimizationAlgorithm.Momentum => new MomentumOptimizer<float>(0.9),
        OptimizationAlgorithm.Nesterov => new NesterovOptimizer<float>(0.9),
        OptimizationAlgorithm.RmsProp => new RmsPropOptimizer<float>(0.99, 1e-8),
        OptimizationAlgorithm.Adam => new AdamOptimizer<float>(0.9, 0.999, 1e-8),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, $"Unknown optimisation algorithm {algorithm}."),
    };

    /// <summary>Trains <paramref name="network"/> (already initialised) and returns its history.</summary>
    public static TrainingHistory Train(NeuralNetwork<float> network, Optimizer<float> optimizer, GradientTrainerOptions options, int seed,
        TrainingSet train, TrainingSet? validation, TrainingChannel channel, string trainerName)
    {
        var solverOptions = options.ToSolverOptions(seed);
        var progress = options.Progress;
        solverOptions.EpochCompleted = p =>
        {
            channel.Info($"{trainerName}: {p}");
            progress?.Report(p);
        };
        solverOptions.CheckCancellation = channel.ThrowIfCancelled;
        var solver = new Solver<float>(network, optimizer, solverOptions);
        var history = solver.Train(
            new LabeledDataset<float>(train.Features, train.Labels, train.FeatureCount),
            validation is null ? null : new LabeledDataset<float>(validation.Features, validation.Labels, validation.FeatureCount));
        if (history.BestEpoch > 0)
            channel.Info($"{trainerName}: kept the weights of epoch {history.BestEpoch} (validation accuracy {history.ValidationAccuracies[history.BestEpoch - 1]:F4})" +
                (history.StoppedEarly ? $"; stopped early after epoch {history.EpochsCompleted}." : "."));
        return history;
    }
}
