namespace Cs231n.MLNet;

/// <summary>
/// What happened during training, as CS231n's Solver records it: the loss of every minibatch, the training and
/// validation accuracy and the learning rate of every epoch, and why training stopped.
/// </summary>
public sealed class TrainingHistory
{
    /// <summary>Creates a history from recorded values.</summary>
    /// <param name="losses">Objective of every minibatch, in order.</param>
    /// <param name="trainAccuracies">Training-subsample accuracy after every epoch.</param>
    /// <param name="validationAccuracies">Validation accuracy after every epoch (empty without validation data).</param>
    /// <param name="bestEpoch">The epoch (from 1) of the best validation accuracy, or 0 without validation data.</param>
    /// <param name="stopReason">Why training ended.</param>
    /// <param name="keptAveragedWeights">Whether the final weights are the average of the weights of the last phase.</param>
    /// <param name="learningRates">The learning rate of every epoch; empty when unknown (models saved by older versions).</param>
    /// <param name="epochLosses">The mean minibatch objective of every epoch; empty when unknown.</param>
    public TrainingHistory(IEnumerable<double> losses, IEnumerable<double> trainAccuracies, IEnumerable<double> validationAccuracies,
        int bestEpoch, TrainingStopReason stopReason, bool keptAveragedWeights = false,
        IEnumerable<double>? learningRates = null, IEnumerable<double>? epochLosses = null)
    {
        Losses = losses.ToArray();
        TrainAccuracies = trainAccuracies.ToArray();
        ValidationAccuracies = validationAccuracies.ToArray();
        BestEpoch = bestEpoch;
        StopReason = stopReason;
        KeptAveragedWeights = keptAveragedWeights;
        LearningRates = learningRates?.ToArray() ?? [];
        EpochLosses = epochLosses?.ToArray() ?? [];
    }

    /// <summary>Objective (data loss + L2 term) of every minibatch, in order (CS231n's loss_history).</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>Mean minibatch objective of every epoch (scikit-learn's loss_curve_), the measure that convergence watches.</summary>
    public IReadOnlyList<double> EpochLosses { get; }

    /// <summary>Accuracy on the fixed training subsample after every epoch (train_acc_history).</summary>
    public IReadOnlyList<double> TrainAccuracies { get; }

    /// <summary>Validation accuracy after every epoch (val_acc_history); empty without validation data.</summary>
    public IReadOnlyList<double> ValidationAccuracies { get; }

    /// <summary>
    /// The learning rate of every epoch, showing the cuts made on plateaus: the mean rate of the epoch's updates, so an
    /// epoch within the cosine annealing shows the lower rates it actually used.
    /// </summary>
    public IReadOnlyList<double> LearningRates { get; }

    /// <summary>Number of epochs run (scikit-learn's n_iter_).</summary>
    public int EpochsCompleted => TrainAccuracies.Count;

    /// <summary>The epoch (from 1) with the best validation accuracy, whose weights the model keeps; 0 without validation data.</summary>
    public int BestEpoch { get; }

    /// <summary>Why training ended: converged, validation stopped improving, or the epoch limit.</summary>
    public TrainingStopReason StopReason { get; }

    /// <summary>Whether training ended before the largest allowed number of epochs (converged or stopped by validation).</summary>
    public bool StoppedEarly => StopReason != TrainingStopReason.MaximumEpochs;

    /// <summary>
    /// Whether the final weights are the average over the last phase of training (see <see cref="Optimization.SolverOptions.AverageWeights"/>)
    /// rather than those of <see cref="BestEpoch"/> or the last update.
    /// </summary>
    public bool KeptAveragedWeights { get; }

    /// <summary>One sentence on how training ended, as written to the log.</summary>
    public string Summary()
    {
        string how = StopReason switch
        {
            TrainingStopReason.Converged => $"converged after {EpochsCompleted} epochs (the training loss stopped improving)",
            TrainingStopReason.ValidationStoppedImproving => $"stopped after {EpochsCompleted} epochs: validation accuracy stopped improving",
            _ => $"ran the maximum of {EpochsCompleted} epochs",
        };
        string kept = KeptAveragedWeights ? "; kept the averaged weights"
            : BestEpoch > 0 ? FormattableString.Invariant($"; kept the weights of epoch {BestEpoch} (validation accuracy {ValidationAccuracies[BestEpoch - 1]:F4})")
            : "";
        return how + kept + ".";
    }
}
