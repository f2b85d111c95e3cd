using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tuning;

/// <summary>The scores of one setting of a hyper-parameter search.</summary>
public sealed class ParameterSettingScore
{
    /// <summary>Summarises the metrics of one setting over its folds.</summary>
    /// <param name="index">The setting's position in the searched sequence.</param>
    /// <param name="setting">The parameter values.</param>
    /// <param name="foldMetrics">The metrics of each fold (one for a validation split).</param>
    /// <param name="duration">The wall-clock time spent training and evaluating this setting.</param>
    public ParameterSettingScore(int index, ParameterSetting setting, IReadOnlyList<MulticlassClassificationMetrics> foldMetrics, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(foldMetrics);
        Index = index;
        Setting = setting;
        FoldMetrics = foldMetrics.ToArray();
        Duration = duration;
        MicroAccuracy = new MetricSummary(FoldMetrics.Select(m => m.MicroAccuracy).ToArray());
        MacroAccuracy = new MetricSummary(FoldMetrics.Select(m => m.MacroAccuracy).ToArray());
        LogLoss = new MetricSummary(FoldMetrics.Select(m => m.LogLoss).ToArray());
        LogLossReduction = new MetricSummary(FoldMetrics.Select(m => m.LogLossReduction).ToArray());
    }

    /// <summary>The setting's position in the searched sequence (grid order, or draw order for random search).</summary>
    public int Index { get; }

    /// <summary>The parameter values.</summary>
    public ParameterSetting Setting { get; }

    /// <summary>Micro accuracy over the folds.</summary>
    public MetricSummary MicroAccuracy { get; }

    /// <summary>Macro accuracy over the folds.</summary>
    public MetricSummary MacroAccuracy { get; }

    /// <summary>Log-loss over the folds.</summary>
    public MetricSummary LogLoss { get; }

    /// <summary>Log-loss reduction over the folds.</summary>
    public MetricSummary LogLossReduction { get; }

    /// <summary>ML.NET's full metrics of each fold (including confusion matrices), in fold order.</summary>
    public IReadOnlyList<MulticlassClassificationMetrics> FoldMetrics { get; }

    /// <summary>The wall-clock time spent training and evaluating this setting over all its folds.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The summary of the given metric.</summary>
    public MetricSummary this[SearchMetric metric] => metric switch
    {
        SearchMetric.MicroAccuracy => MicroAccuracy,
        SearchMetric.MacroAccuracy => MacroAccuracy,
        SearchMetric.LogLoss => LogLoss,
        SearchMetric.LogLossReduction => LogLossReduction,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, $"Unknown search metric {metric}."),
    };

    /// <summary>The setting and its micro/macro accuracy, e.g. <c>k=5: micro 0.8120 ± 0.0100, macro …</c>.</summary>
    public override string ToString() => $"{Setting}: micro {MicroAccuracy}, macro {MacroAccuracy}";
}
