using System.Globalization;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Training;

/// <summary>
/// The check behind the warning on features of very different scales. Distances (kNN) and unscaled gradient steps are
/// dominated by the features of largest range, so a user who forgot to normalise should hear about it at <c>Fit</c>.
/// </summary>
internal static class FeatureScaleCheck
{
    /// <summary>Ranges that differ by this factor or more (two orders of magnitude) draw the warning.</summary>
    public const double RangeRatioLimit = 100;

    /// <summary>
    /// The warning for <paramref name="data"/>, or null when its features share a scale. It compares the largest range
    /// with the median range, and the median with the 10th percentile, over the features that vary, so a few almost
    /// constant features (border pixels) do not raise it.
    /// </summary>
    public static string? Warning(LabeledDataset<float> data, string featureColumnName, string trainerName)
        => data.FeatureCount < 2 ? null : Warning(FeatureStatistics.Of(data), featureColumnName, trainerName);

    /// <summary>The warning for features with <paramref name="statistics"/>, or null when they share a scale.</summary>
    public static string? Warning(FeatureStatistics statistics, string featureColumnName, string trainerName)
    {
        var ranges = statistics.Ranges();
        if (Compare(ranges) is not { } spread || spread.Ratio < RangeRatioLimit)
            return null;
        var (low, high) = (spread.Low, spread.High);
        var c = CultureInfo.InvariantCulture;
        return string.Format(c,
            "{0}: the values of feature column '{1}' are on very different scales: feature {2} spans {3:G4} and feature {4} spans {5:G4} ({6:G3} times more). " +
            "Put them on a common scale with mlContext.Transforms.NormalizeMinMax(\"{1}\") or NormalizeMeanVariance(\"{1}\") before the trainer: " +
            "k-nearest neighbours' distances are dominated by the widest features, and many trainers learn slowly on such data (this package's gradient trainers standardise internally).",
            trainerName, featureColumnName, high.Feature, high.Range, low.Feature, low.Range, spread.Ratio);
    }

    /// <summary>
    /// How far apart the ranges of the varying features are: the larger of largest / median and median / 10th
    /// percentile, with the two features compared; null when fewer than two features vary.
    /// </summary>
    public static ((int Feature, double Range) Low, (int Feature, double Range) High, double Ratio)? Compare(IReadOnlyList<double> ranges)
    {
        var varying = Enumerable.Range(0, ranges.Count).Select(j => (Feature: j, Range: ranges[j])).Where(r => r.Range > 0).OrderBy(r => r.Range).ToArray();
        if (varying.Length < 2)
            return null;
        var smallest = varying[varying.Length / 10];
        var median = varying[varying.Length / 2];
        var largest = varying[^1];
        double upper = largest.Range / median.Range, lower = median.Range / smallest.Range;
        return upper >= lower ? (median, largest, upper) : (smallest, median, lower);
    }
}
