using System.Numerics;
using Microsoft.ML;
using Cs231n.MLNet.Training;

namespace Cs231n.MLNet.Optimization;

/// <summary>
/// A dense row-major feature matrix (one example per row) with one class index per row: what every learning algorithm
/// of this package trains on. The trainers read it out of an <c>IDataView</c>; <see cref="Solver{T}"/> and gradient
/// checks take it directly.
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class LabeledDataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Wraps (does not copy) <paramref name="features"/> (rows×<paramref name="featureCount"/>) and
    /// <paramref name="labels"/>; the number of classes is one more than the largest label.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes disagree, or a label is negative.</exception>
    public LabeledDataset(T[] features, int[] labels, int featureCount)
        : this(features, labels, featureCount, classCount: null)
    {
    }

    /// <summary>
    /// Wraps (does not copy) <paramref name="features"/> (rows×<paramref name="featureCount"/>) and
    /// <paramref name="labels"/>, each in [0, <paramref name="classCount"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The sizes disagree, or a label is outside [0, <paramref name="classCount"/>).</exception>
    public LabeledDataset(T[] features, int[] labels, int featureCount, int classCount)
        : this(features, labels, featureCount, (int?)classCount)
    {
    }

    private LabeledDataset(T[] features, int[] labels, int featureCount, int? classCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureCount < 1)
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, $"Examples need at least one feature; got {featureCount}.");
        if (classCount < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"There must be at least one class; got {classCount}.");
        if ((long)labels.Length * featureCount != features.Length)
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * featureCount} feature values ({featureCount} per row); got {features.Length}.", nameof(features));
        int largest = -1;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
                throw new ArgumentException($"Label {labels[i]} of row {i} is negative; labels are class indices starting at 0.", nameof(labels));
            if (labels[i] >= classCount)
                throw new ArgumentException($"Label {labels[i]} of row {i} is outside [0, {classCount}); labels are class indices.", nameof(labels));
            largest = Math.Max(largest, labels[i]);
        }
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount ?? largest + 1;
    }

    /// <summary>The features, Count×FeatureCount, row-major.</summary>
    public T[] Features { get; }

    /// <summary>The class index of each row, in [0, ClassCount).</summary>
    public int[] Labels { get; }

    /// <summary>Values per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of classes: the label key's count when read from an <c>IDataView</c>, else one more than the largest label.</summary>
    public int ClassCount { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Labels.Length;

    /// <summary>Row <paramref name="row"/> of the features.</summary>
    public ReadOnlySpan<T> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>The label column the rows were read from, when read from an <c>IDataView</c>; its annotations name the classes.</summary>
    internal DataViewSchema.Column? LabelColumn { get; init; }

    /// <summary>The feature column's dimensions when its type declares them (ExtractPixels: channels, height, width); else empty.</summary>
    internal IReadOnlyList<int> FeatureDimensions { get; init; } = [];

    /// <summary>
    /// The per-feature statistics of the rows (<see cref="FeatureStatistics.Of"/>), measured once and shared by the
    /// scale warning and the standardisation; rewriting the rows in place must clear it.
    /// </summary>
    internal FeatureStatistics? CachedStatistics { get; set; }
}
