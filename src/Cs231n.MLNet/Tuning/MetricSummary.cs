namespace Cs231n.MLNet.Tuning;

/// <summary>One metric of one setting: its value on each fold, their mean and their standard deviation.</summary>
public sealed class MetricSummary
{
    /// <summary>Summarises the per-fold values of a metric.</summary>
    /// <param name="perFold">The value on each fold, in fold order; at least one.</param>
    /// <exception cref="ArgumentException">No values were given.</exception>
    public MetricSummary(IReadOnlyList<double> perFold)
    {
        ArgumentNullException.ThrowIfNull(perFold);
        if (perFold.Count == 0)
            throw new ArgumentException("A metric summary needs at least one fold value.", nameof(perFold));
        PerFold = perFold.ToArray();
        Mean = PerFold.Average();
        var mean = Mean;
        StandardDeviation = Math.Sqrt(PerFold.Sum(v => (v - mean) * (v - mean)) / PerFold.Count);
    }

    /// <summary>The value on each fold, in fold order (a single value for a validation split).</summary>
    public IReadOnlyList<double> PerFold { get; }

    /// <summary>The mean over the folds.</summary>
    public double Mean { get; }

    /// <summary>
    /// The population standard deviation over the folds (divides by the number of folds, as NumPy's <c>std</c> and
    /// CS231n's error bars do); 0 for a single fold.
    /// </summary>
    public double StandardDeviation { get; }

    /// <summary>The summary as <c>mean ± std</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"{Mean:F4} ± {StandardDeviation:F4}");
}
