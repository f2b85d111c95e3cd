namespace Cs231n.MLNet;

/// <summary>Why training ended.</summary>
public enum TrainingStopReason
{
    /// <summary>It ran the largest allowed number of epochs (or exactly the number asked for, with early stopping off).</summary>
    MaximumEpochs,

    /// <summary>The training loss stopped improving by the tolerance, even after the learning-rate reductions.</summary>
    Converged,

    /// <summary>Validation accuracy stopped improving by the tolerance for the patience in epochs.</summary>
    ValidationStoppedImproving,
}
