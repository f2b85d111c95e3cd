namespace Cs231n.MLNet.Optimization;

/// <summary>
/// What happened during training, as CS231n's Solver records it: the loss of every minibatch and the training and
/// validation accuracy after every epoch.
/// </summary>
public sealed class TrainingHistory
{
    /// <summary>Creates a history from recorded values.</summary>
    /// <param name="losses">Objective of every minibatch, in order.</param>
    /// <param name="trainAccuracies">Training-subsample accuracy after every epoch.</param>
    /// <param name="validationAccuracies">Validation accuracy after every epoch (empty without validation data).</param>
    /// <param name="bestEpoch">The epoch (from 1) of the best validation accuracy, or 0 without validation data.</param>
    /// <param name="stoppedEarly">Whether early stopping ended training before the last epoch.</param>
    public TrainingHistory(IEnumerable<double> losses, IEnumerable<double> trainAccuracies, IEnumerable<double> validationAccuracies,
        int bestEpoch, bool stoppedEarly)
    {
        Losses = losses.ToArray();
        TrainAccuracies = trainAccuracies.ToArray();
        ValidationAccuracies = validationAccuracies.ToArray();
        BestEpoch = bestEpoch;
        StoppedEarly = stoppedEarly;
    }

    /// <summary>Objective (data loss + L2 term) of every minibatch, in order (CS231n's loss_history).</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>Accuracy on the fixed training subsample after every epoch (train_acc_history).</summary>
    public IReadOnlyList<double> TrainAccuracies { get; }

    /// <summary>Validation accuracy after every epoch (val_acc_history); empty without validation data.</summary>
    public IReadOnlyList<double> ValidationAccuracies { get; }

    /// <summary>Number of epochs run.</summary>
    public int EpochsCompleted => TrainAccuracies.Count;

    /// <summary>The epoch (from 1) with the best validation accuracy, whose weights the model keeps; 0 without validation data.</summary>
    public int BestEpoch { get; }

    /// <summary>Whether early stopping ended training before the requested number of epochs.</summary>
    public bool StoppedEarly { get; }
}
