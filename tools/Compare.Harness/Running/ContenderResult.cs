using Compare.Contenders;
using Cs231n.MLNet.Reporting;
using Cs231n.MLNet.Tuning;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Compare.Running;

/// <summary>What training, tuning and testing one contender produced.</summary>
internal sealed class ContenderResult
{
    public required Contender Contender { get; init; }

    /// <summary>The hyper-parameter search, when the contender has one.</summary>
    public ParameterSearchResult? Search { get; init; }

    /// <summary>The setting of the final model; null for fixed settings.</summary>
    public ParameterSetting? Setting { get; init; }

    /// <summary>The whole fitted pipeline (label mapping, trainer, key-to-text mapping).</summary>
    public required ITransformer Model { get; init; }

    /// <summary>The metrics on the test set.</summary>
    public required MulticlassClassificationMetrics TestMetrics { get; init; }

    /// <summary>Seconds to fit the final pipeline on all training rows.</summary>
    public required double FitSeconds { get; init; }

    /// <summary>Seconds to score the test set and compute its metrics.</summary>
    public required double PredictSeconds { get; init; }

    /// <summary>Bytes of the pipeline saved as an ML.NET zip.</summary>
    public required long ModelSizeBytes { get; init; }

    /// <summary>The pictures drawn for this contender.</summary>
    public required IReadOnlyList<Picture> Pictures { get; init; }

    /// <summary>The leaderboard line: log-loss only where <c>Score</c> holds probabilities.</summary>
    public LeaderboardRow ToLeaderboardRow() => new(
        Contender.DisplayName,
        TestMetrics.MicroAccuracy,
        TestMetrics.MacroAccuracy,
        Contender.ScoresAreProbabilities ? TestMetrics.LogLoss : null,
        FitSeconds,
        PredictSeconds,
        ModelSizeBytes);
}
