namespace Cs231n.MLNet.Reporting;

/// <summary>One trained model's line in a leaderboard.</summary>
/// <param name="Name">The model's name, e.g. <c>kNN (k=5, L1)</c>.</param>
/// <param name="MicroAccuracy">The fraction of test rows classified correctly.</param>
/// <param name="MacroAccuracy">The mean of the per-class accuracies.</param>
/// <param name="LogLoss">The test log-loss; null when the model gives no probabilities.</param>
/// <param name="FitSeconds">The training time in seconds.</param>
/// <param name="PredictSeconds">The time to score the test set in seconds; null when not measured.</param>
/// <param name="ModelSizeBytes">The size of the saved model in bytes; null when not measured.</param>
public sealed record LeaderboardRow(
    string Name,
    double MicroAccuracy,
    double MacroAccuracy,
    double? LogLoss,
    double FitSeconds,
    double? PredictSeconds,
    long? ModelSizeBytes);
