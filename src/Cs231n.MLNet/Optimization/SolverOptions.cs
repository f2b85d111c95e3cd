using System.Globalization;

namespace Cs231n.MLNet.Optimization;

/// <summary>Settings of the <see cref="Solver{T}"/> training loop. Validated when training starts.</summary>
public sealed class SolverOptions
{
    /// <summary>Passes over the training data.</summary>
    public int NumberOfEpochs { get; set; } = 10;

    /// <summary>Examples per minibatch (the last minibatch of an epoch may be smaller).</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Initial learning rate.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>How the learning rate changes per epoch.</summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>λ of the L2 penalty ½·λ·Σ‖W‖² on the weights (not the biases).</summary>
    public double L2Regularization { get; set; }

    /// <summary>Whether to visit the training rows in a new random order every epoch.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Seed of every random choice the solver makes (shuffling, validation hold-out, training subsample).</summary>
    public int Seed { get; set; }

    /// <summary>Fraction of the training rows held out for validation when no validation set is given; 0 to hold out none.</summary>
    public double ValidationFraction { get; set; }

    /// <summary>Stop after this many epochs without a better validation accuracy; 0 disables early stopping.</summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>With validation data, end with the weights of the epoch of best validation accuracy (CS231n's best_params).</summary>
    public bool RestoreBestWeights { get; set; } = true;

    /// <summary>
    /// Polyak averaging: over the last this-many epochs, keep the running mean of the weights after every update and
    /// end with that mean, which removes most of SGD's end-of-training noise; 0 ends with the last iterate. With
    /// validation data the mean is kept only if its validation accuracy is at least the best epoch's. Values above
    /// <see cref="NumberOfEpochs"/> average over the whole run.
    /// </summary>
    public int AveragedEpochs { get; set; }

    /// <summary>Largest number of training rows (a fixed random subsample) on which training accuracy is measured per epoch.</summary>
    public int TrainAccuracySampleSize { get; set; } = 10_000;

    /// <summary>Called after every epoch.</summary>
    public Action<TrainingProgress>? EpochCompleted { get; set; }

    /// <summary>Called between minibatches; throw from it (e.g. <see cref="OperationCanceledException"/>) to stop training.</summary>
    public Action? CheckCancellation { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting, its value and the valid range.</summary>
    public void Validate()
    {
        if (NumberOfEpochs < 1)
            throw Invalid(nameof(NumberOfEpochs), NumberOfEpochs, "must be at least 1");
        if (BatchSize < 1)
            throw Invalid(nameof(BatchSize), BatchSize, "must be at least 1");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate)))
            throw Invalid(nameof(LearningRate), LearningRate, "must be positive");
        if (LearningRateSchedule is null)
            throw new ArgumentNullException(nameof(LearningRateSchedule), "The 'LearningRateSchedule' option must be set; use LearningRateSchedule.Constant for a fixed rate.");
        if (!(L2Regularization >= 0 && double.IsFinite(L2Regularization)))
            throw Invalid(nameof(L2Regularization), L2Regularization, "must be finite and non-negative");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw Invalid(nameof(ValidationFraction), ValidationFraction, "must be in [0, 1)");
        if (EarlyStoppingPatience < 0)
            throw Invalid(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be non-negative (0 disables early stopping)");
        if (AveragedEpochs < 0)
            throw Invalid(nameof(AveragedEpochs), AveragedEpochs, "must be non-negative (0 disables averaging)");
        if (TrainAccuracySampleSize < 1)
            throw Invalid(nameof(TrainAccuracySampleSize), TrainAccuracySampleSize, "must be at least 1");
    }

    /// <summary>The message style shared by every option check: "The 'LearningRate' option must be positive; got -0.1."</summary>
    internal static ArgumentOutOfRangeException Invalid(string option, object value, string requirement, string? owner = null)
    {
        string shown = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";
        string of = owner is null ? "" : $" of {owner}";
        return new ArgumentOutOfRangeException(option, value, $"The '{option}' option{of} {requirement}; got {shown}.");
    }
}
