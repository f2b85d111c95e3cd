using Microsoft.ML;

namespace Cs231n.MLNet.Tuning;

/// <summary>The outcome of a hyper-parameter search: every setting's scores and the best setting.</summary>
public sealed class ParameterSearchResult
{
    /// <summary>Collects the scores of a finished search.</summary>
    /// <param name="mode">How the settings were scored.</param>
    /// <param name="selectionMetric">The metric <see cref="Best"/> was chosen by.</param>
    /// <param name="scores">The scores of every setting, in search order; at least one.</param>
    /// <param name="duration">The wall-clock time of the whole search.</param>
    /// <param name="bestModel">The model trained with the best setting, when the search kept it.</param>
    /// <exception cref="ArgumentException">No scores were given.</exception>
    public ParameterSearchResult(SearchMode mode, SearchMetric selectionMetric, IReadOnlyList<ParameterSettingScore> scores, TimeSpan duration, ITransformer? bestModel = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0)
            throw new ArgumentException("A search result needs the score of at least one setting.", nameof(scores));
        Mode = mode;
        SelectionMetric = selectionMetric;
        Scores = scores.ToArray();
        Duration = duration;
        Best = SelectBest(Scores, selectionMetric);
        BestModel = bestModel;
    }

    /// <summary>How the settings were scored.</summary>
    public SearchMode Mode { get; }

    /// <summary>The metric <see cref="Best"/> was chosen by.</summary>
    public SearchMetric SelectionMetric { get; }

    /// <summary>The scores of every setting, in search order.</summary>
    public IReadOnlyList<ParameterSettingScore> Scores { get; }

    /// <summary>
    /// The setting with the best mean <see cref="SelectionMetric"/> (the lowest for log-loss, else the highest);
    /// of equally good settings the first in search order; a setting whose metric is NaN ranks last.
    /// </summary>
    public ParameterSettingScore Best { get; }

    /// <summary>
    /// The model trained with the best setting on the training set of a <see cref="SearchMode.ValidationSplit"/>
    /// search; null for cross-validation, whose fold models are not kept (retrain the best setting on all the data).
    /// </summary>
    public ITransformer? BestModel { get; }

    /// <summary>The wall-clock time of the whole search.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether <paramref name="candidate"/> is strictly better than <paramref name="incumbent"/> on <paramref name="metric"/>.</summary>
    public static bool IsBetter(SearchMetric metric, double candidate, double incumbent)
    {
        if (double.IsNaN(candidate))
            return false;
        if (double.IsNaN(incumbent))
            return true;
        return metric == SearchMetric.LogLoss ? candidate < incumbent : candidate > incumbent;
    }

    private static ParameterSettingScore SelectBest(IReadOnlyList<ParameterSettingScore> scores, SearchMetric metric)
    {
        var best = scores[0];
        foreach (var score in scores.Skip(1))
        {
            if (IsBetter(metric, score[metric].Mean, best[metric].Mean))
                best = score;
        }
        return best;
    }
}
