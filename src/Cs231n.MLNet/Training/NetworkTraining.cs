using System.Globalization;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Training;

/// <summary>
/// The part of Fit that every gradient trainer shares: standardise the features, resolve the automatic settings
/// (cross-validating λ on small data), run the solver with ML.NET's log, cancellation and seed, refuse a model that
/// learned nothing, and fold the standardisation back into the first layer.
/// </summary>
internal static class NetworkTraining
{
    /// <summary>Rows on which the final model's training accuracy is checked against the majority class.</summary>
    private const int FinalCheckRows = 10_000;

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

    /// <summary>Trains a network made by <paramref name="createNetwork"/> (initialised) and returns it with its history.</summary>
    /// <remarks>With <see cref="GradientTrainerOptions.StandardizeFeatures"/> the rows of <paramref name="train"/> and
    /// <paramref name="validation"/> are standardised in place.</remarks>
    public static (NeuralNetwork<float> Network, TrainingHistory History) Train(Func<NeuralNetwork<float>> createNetwork,
        Func<Optimizer<float>> createOptimizer, GradientTrainerOptions options, int seed,
        LabeledDataset<float> train, LabeledDataset<float>? validation, TrainingChannel channel, string trainerName, TrainingDefaults defaults)
    {
        var network = createNetwork();
        FeatureStandardizer? standardizer = null;
        if (options.StandardizeFeatures && network.Layers[0] is AffineLayer<float>)
        {
            standardizer = FeatureStandardizer.Fit(train);
            standardizer.Apply(train);
            if (validation is not null)
                standardizer.Apply(validation);
        }

        int trainingRows = validation is null && options.ValidationFraction > 0
            ? Math.Max(1, (int)Math.Round(train.Count * (1 - options.ValidationFraction)))
            : train.Count;
        double learningRate = options.LearningRate ?? defaults.LearningRate(train);
        double l2 = options.L2Regularization ?? ChooseL2(createNetwork, createOptimizer, options, seed, train, trainingRows, learningRate, channel, trainerName, defaults);
        var solverOptions = options.ToSolverOptions(seed, trainingRows, learningRate, l2, defaults.ExampleBudget);
        channel.Info(string.Format(CultureInfo.InvariantCulture,
            "{0}: batch size {1}, at most {2} epochs, learning rate {3:G4}{4}, L2 {5:G3}, stopping when the {6} has not improved by {7:G3} for {8} epochs{9}.",
            trainerName, solverOptions.BatchSize, solverOptions.NumberOfEpochs, learningRate,
            options.LearningRate is null ? $" ({defaults.LearningRateOrigin})" : "", l2,
            validation is not null || options.ValidationFraction > 0 ? "validation accuracy" : "training loss",
            solverOptions.ConvergenceTolerance, solverOptions.EarlyStoppingPatience,
            standardizer is null ? "" : "; features standardised internally"));

        var progress = options.Progress;
        solverOptions.EpochCompleted = p =>
        {
            channel.Info($"{trainerName}: {p}");
            progress?.Report(p);
        };
        solverOptions.CheckCancellation = channel.ThrowIfCancelled;
        var solver = new Solver<float>(network, createOptimizer(), solverOptions);
        var history = solver.Train(train, validation);
        channel.Info($"{trainerName}: {history.Summary()}");
        // With the automatic cap the rate anneals to zero before it, so reaching it is the plan, not a failure to converge.
        if (history.StopReason == TrainingStopReason.MaximumEpochs && solverOptions.EarlyStoppingPatience > 0 && solverOptions.AnnealingFraction == 0)
            channel.Warning($"{trainerName}: training reached its limit of {history.EpochsCompleted} epochs before it converged; set NumberOfEpochs higher (or null) to train longer, or raise the learning rate.");

        CheckLearnedSomething(solver, train, seed, trainerName, history.EpochsCompleted);
        if (standardizer is not null)
        {
            var first = (AffineLayer<float>)network.Layers[0];
            standardizer.FoldInto(first.Weights.Value, first.Bias.Value);
        }
        return (network, history);
    }

    /// <summary>λ from the defaults: cross-validated among the candidates on small data, else the first candidate.</summary>
    private static double ChooseL2(Func<NeuralNetwork<float>> createNetwork, Func<Optimizer<float>> createOptimizer, GradientTrainerOptions options,
        int seed, LabeledDataset<float> train, int trainingRows, double learningRate, TrainingChannel channel, string trainerName, TrainingDefaults defaults)
    {
        double scale = defaults.L2Scale(trainingRows);
        var multiples = defaults.L2Multiples;
        if (multiples.Count == 1 || (long)train.Count * train.FeatureCount > defaults.L2SearchSizeLimit || !RegularizationSearch.IsFeasible(train))
            return multiples[0] * scale;
        var candidates = multiples.Select(m => m * scale).ToArray();
        var (lambda, losses) = RegularizationSearch.Choose(train, candidates, (l2, fit, held) =>
        {
            var network = createNetwork();
            var foldOptions = options.ToSolverOptions(seed, fit.Count, learningRate, l2, defaults.ExampleBudget);
            foldOptions.CheckCancellation = channel.ThrowIfCancelled;
            var solver = new Solver<float>(network, createOptimizer(), foldOptions);
            solver.Train(fit);
            network.L2Regularization = 0;
            return solver.Loss(held, Enumerable.Range(0, held.Count).ToArray());
        }, seed);
        channel.Info(string.Format(CultureInfo.InvariantCulture, "{0}: chose L2 {1:G3} by {2}-fold cross-validation; held-out loss {3}.",
            trainerName, lambda, RegularizationSearch.Folds,
            string.Join(", ", candidates.Select((c, i) => string.Format(CultureInfo.InvariantCulture, "{0:G3} at λ = {1:G3}", losses[i], c)))));
        return lambda;
    }


    /// <summary>Throws <see cref="ModelLearnedNothingException"/> when the model does no better than the majority class.</summary>
    /// <remarks>The solver's last accuracy check of the final weights is reused when there is one, so a Fit spends no
    /// extra pass on this (for a convolutional network a pass over 10,000 rows is a second or more).</remarks>
    private static void CheckLearnedSomething(Solver<float> solver, LabeledDataset<float> data, int seed, string trainerName, int epochs)
    {
        var (rows, known) = solver.FinalWeightsCheck is { } check
            ? (check.Rows, check.Accuracy)
            : (new SeededRandom(unchecked(seed + 2)).Sample(Enumerable.Range(0, data.Labels.Length).ToArray(), FinalCheckRows), double.NaN);
        double majority = (double)rows.GroupBy(r => data.Labels[r]).Max(g => g.Count()) / rows.Length;
        if (majority >= 1)
            return;
        double accuracy = double.IsNaN(known) ? solver.Accuracy(data, rows) : known;
        if (accuracy <= majority)
            throw new ModelLearnedNothingException(trainerName, accuracy, majority, epochs);
    }
}
