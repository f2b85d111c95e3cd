namespace Cs231n.MLNet.Optimization;

/// <summary>
/// Settings of the <see cref="Solver{T}"/> training loop, every value explicit (the trainers resolve their automatic
/// defaults into these). Validated when training starts.
/// </summary>
public sealed class SolverOptions
{
    /// <summary>The largest number of passes over the training data; training usually stops earlier, when converged.</summary>
    public int NumberOfEpochs { get; set; } = 100;

    /// <summary>Examples per minibatch (the last minibatch of an epoch may be smaller).</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Initial learning rate.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>A fixed per-epoch change of the learning rate, applied on top of the reductions on plateaus.</summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>
    /// The last fraction of the largest allowed number of updates (<see cref="NumberOfEpochs"/> epochs) over which the
    /// learning rate falls along a half cosine to zero, so that a run that hits the epoch limit still ends converged
    /// rather than at a noisy iterate; 0 turns it off. Runs that converge earlier never reach it.
    /// </summary>
    public double AnnealingFraction { get; set; }

    /// <summary>λ of the L2 penalty ½·λ·Σ‖W‖² on the weights (not the biases).</summary>
    public double L2Regularization { get; set; }

    /// <summary>Whether to visit the training rows in a new random order every epoch.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Seed of every random choice the solver makes (shuffling, validation hold-out, training subsample).</summary>
    public int Seed { get; set; }

    /// <summary>Fraction of the training rows held out for validation when no validation set is given; 0 to hold out none.</summary>
    public double ValidationFraction { get; set; }

    /// <summary>
    /// The smallest change that counts as progress: an epoch improves when its mean training loss is below the best so
    /// far by more than this, or its validation accuracy above the best by more than this (scikit-learn's <c>tol</c>).
    /// </summary>
    public double ConvergenceTolerance { get; set; } = 1e-4;

    /// <summary>
    /// Epochs without progress before the solver acts (scikit-learn's <c>n_iter_no_change</c>): it first cuts the
    /// learning rate (up to <see cref="LearningRateReductions"/> times), then stops as converged; with validation data
    /// it stops when validation accuracy has not improved for this many epochs. 0 runs exactly
    /// <see cref="NumberOfEpochs"/> epochs at the scheduled rate.
    /// </summary>
    public int EarlyStoppingPatience { get; set; } = 10;

    /// <summary>How many times a plateau of the training loss cuts the learning rate before training counts as converged.</summary>
    public int LearningRateReductions { get; set; } = 2;

    /// <summary>The factor of each cut of the learning rate on a plateau (scikit-learn's adaptive rate divides by 5).</summary>
    public double LearningRateReductionFactor { get; set; } = 0.2;

    /// <summary>With validation data, end with the weights of the epoch of best validation accuracy (CS231n's best_params).</summary>
    public bool RestoreBestWeights { get; set; } = true;

    /// <summary>
    /// End with an average of the weights over the updates since the last change of the learning rate, weighted
    /// towards recent ones (polynomial-decay averaging), instead of the last iterate; it removes most of SGD's
    /// end-of-training noise on convex losses. The average is kept only if its training loss (or, with validation
    /// data, its validation accuracy) is at least as good.
    /// </summary>
    public bool AverageWeights { get; set; }

    /// <summary>Largest number of training rows (a fixed random subsample) on which training accuracy is measured per epoch.</summary>
    public int TrainAccuracySampleSize { get; set; } = DefaultTrainAccuracySampleSize;

    /// <summary>The default of <see cref="TrainAccuracySampleSize"/>.</summary>
    internal const int DefaultTrainAccuracySampleSize = 10_000;

    /// <summary>Called after every epoch.</summary>
    public Action<TrainingProgress>? EpochCompleted { get; set; }

    /// <summary>Called between minibatches; throw from it (e.g. <see cref="OperationCanceledException"/>) to stop training.</summary>
    public Action? CheckCancellation { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting, its value and the valid range.</summary>
    public void Validate()
    {
        SettingRules.NumberOfEpochs.Check(NumberOfEpochs);
        SettingRules.BatchSize.Check(BatchSize);
        SettingRules.LearningRate.Check(LearningRate);
        if (!(AnnealingFraction >= 0 && AnnealingFraction <= 1))
            throw SettingRule.Invalid(nameof(AnnealingFraction), AnnealingFraction, "must be in [0, 1] (0 turns annealing off)");
        if (LearningRateSchedule is null)
            throw new ArgumentNullException(nameof(LearningRateSchedule), "The 'LearningRateSchedule' option must be set; use LearningRateSchedule.Constant for a fixed rate.");
        SettingRules.L2Regularization.Check(L2Regularization);
        SettingRules.ValidationFraction.Check(ValidationFraction);
        SettingRules.ConvergenceTolerance.Check(ConvergenceTolerance);
        SettingRules.EarlyStoppingPatience.Check(EarlyStoppingPatience);
        if (LearningRateReductions < 0)
            throw SettingRule.Invalid(nameof(LearningRateReductions), LearningRateReductions, "must be non-negative");
        if (!(LearningRateReductionFactor > 0 && LearningRateReductionFactor < 1))
            throw SettingRule.Invalid(nameof(LearningRateReductionFactor), LearningRateReductionFactor, "must be in (0, 1)");
        if (TrainAccuracySampleSize < 1)
            throw SettingRule.Invalid(nameof(TrainAccuracySampleSize), TrainAccuracySampleSize, "must be at least 1");
    }
}
