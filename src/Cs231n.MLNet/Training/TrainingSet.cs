using Microsoft.ML;

namespace Cs231n.MLNet.Training;

/// <summary>
/// Labelled examples read out of an <c>IDataView</c> into one contiguous row-major matrix: the form every learning
/// algorithm of this package trains on.
/// </summary>
internal sealed class TrainingSet
{
    public TrainingSet(float[] features, int[] labels, int featureCount, int classCount)
    {
        if (features.Length != (long)labels.Length * featureCount)
            throw new ArgumentException($"{labels.Length} rows of {featureCount} features need {(long)labels.Length * featureCount} values; got {features.Length}.");
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
    }

    /// <summary>Count×FeatureCount values, row-major.</summary>
    public float[] Features { get; }

    /// <summary>Class index of each row, in [0, ClassCount): the label key minus one.</summary>
    public int[] Labels { get; }

    public int Count => Labels.Length;

    public int FeatureCount { get; }

    public int ClassCount { get; }

    /// <summary>The label column the rows were read from; its annotations name the classes.</summary>
    public DataViewSchema.Column? LabelColumn { get; init; }

    /// <summary>The feature column's dimensions when its type declares them (ExtractPixels: channels, height, width); else empty.</summary>
    public IReadOnlyList<int> FeatureDimensions { get; init; } = [];

    /// <summary>The per-feature statistics of the rows as read, measured once and shared by the scale warning and the
    /// standardisation; rewriting the rows in place must clear it.</summary>
    public FeatureStatistics Statistics
    {
        get => _statistics ??= FeatureStatistics.Measure(this);
        set => _statistics = value;
    }

    public void ForgetStatistics() => _statistics = null;

    private FeatureStatistics? _statistics;

    public ReadOnlySpan<float> Row(int index) => Features.AsSpan(index * FeatureCount, FeatureCount);
}
