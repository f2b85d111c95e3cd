namespace Cs231n.MLNet.Tuning;

/// <summary>The multiclass metric a hyper-parameter search ranks settings by.</summary>
public enum SearchMetric
{
    /// <summary>The fraction of rows classified correctly (higher is better).</summary>
    MicroAccuracy,

    /// <summary>The mean of the per-class accuracies, which weighs rare classes equally (higher is better).</summary>
    MacroAccuracy,

    /// <summary>The mean negative log-probability of the true class (lower is better).</summary>
    LogLoss,

    /// <summary>The relative improvement of log-loss over predicting the class frequencies (higher is better).</summary>
    LogLossReduction,
}
