using Cs231n.MLNet.Tuning;
using Microsoft.ML;

namespace Compare.Contenders;

/// <summary>One trainer in the comparison: how to build it, how to tune it and which pictures its model gives.</summary>
internal sealed class Contender
{
    /// <summary>Short lower-case name for <c>--trainers</c> and file names, e.g. <c>knn</c>.</summary>
    public required string Slug { get; init; }

    /// <summary>The leaderboard name, e.g. <c>k-nearest neighbours</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Who implements it: this package or ML.NET.</summary>
    public required string Origin { get; init; }

    /// <summary>
    /// False when <c>Score</c> holds raw margins rather than probabilities (the multiclass SVM): log-loss is then
    /// meaningless and the leaderboard leaves it out.
    /// </summary>
    public bool ScoresAreProbabilities { get; init; } = true;

    /// <summary>The hyper-parameter search to run first; null trains with fixed settings.</summary>
    public SearchPlan? Search { get; init; }

    /// <summary>Builds the trainer for a setting (null without a search) on key-typed <c>Label</c> and <c>Features</c>.</summary>
    public required Func<TrainerRequest, IEstimator<ITransformer>> CreateTrainer { get; init; }

    /// <summary>Draws the pictures the fitted model parameters allow (templates, training history); may be null.</summary>
    public Func<object, PictureContext, IEnumerable<Picture>>? DrawPictures { get; init; }

    /// <summary>How the fixed settings of a contender without a search are described in the report.</summary>
    public string? FixedSettings { get; init; }

    /// <summary>The name with its origin, e.g. <c>k-nearest neighbours (Cs231n.MLNet)</c>.</summary>
    public string DisplayName => $"{Name} ({Origin})";

    /// <summary>The setting the final model uses, as text.</summary>
    public string DescribeSetting(ParameterSetting? setting) => setting?.ToString() ?? FixedSettings ?? "defaults";
}
