using System.Numerics;

namespace Cs231n.MLNet.Optimization;

/// <summary>A dense row-major feature matrix (one example per row) with one class index per row.</summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class LabeledDataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Wraps (does not copy) <paramref name="features"/> (rows×<paramref name="featureCount"/>) and <paramref name="labels"/>.</summary>
    /// <exception cref="ArgumentException">The sizes disagree, or a label is negative.</exception>
    public LabeledDataset(T[] features, int[] labels, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureCount < 1)
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, $"Examples need at least one feature; got {featureCount}.");
        if ((long)labels.Length * featureCount != features.Length)
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * featureCount} feature values ({featureCount} per row); got {features.Length}.", nameof(features));
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
                throw new ArgumentException($"Label {labels[i]} of row {i} is negative; labels are class indices starting at 0.", nameof(labels));
        }
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
    }

    /// <summary>The features, Count×FeatureCount, row-major.</summary>
    public T[] Features { get; }

    /// <summary>The class index of each row.</summary>
    public int[] Labels { get; }

    /// <summary>Values per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Labels.Length;

    /// <summary>Row <paramref name="row"/> of the features.</summary>
    public ReadOnlySpan<T> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);
}
