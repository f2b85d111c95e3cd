using Cs231n.MLNet.Tuning;

namespace Cs231n.MLNet.Reporting;

/// <summary>One line of a cross-validation chart: a metric's fold values at each value of the varied parameter.</summary>
public sealed class CrossValidationSeries
{
    private readonly List<(double X, MetricSummary Summary)> _points = [];

    /// <summary>Creates an empty line with a legend name, e.g. <c>distance=L1</c>.</summary>
    public CrossValidationSeries(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The legend name.</summary>
    public string Name { get; }

    /// <summary>The points in the order added: the parameter value and the metric's fold values there.</summary>
    public IReadOnlyList<(double X, MetricSummary Summary)> Points => _points;

    /// <summary>Adds the fold values of the metric at parameter value <paramref name="x"/>.</summary>
    /// <returns>This series, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not finite or no fold values were given.</exception>
    public CrossValidationSeries Add(double x, IReadOnlyList<double> foldValues)
    {
        if (!double.IsFinite(x))
            throw new ArgumentOutOfRangeException(nameof(x), x, $"The parameter value of a point of '{Name}' must be finite; got {x}.");
        _points.Add((x, new MetricSummary(foldValues)));
        return this;
    }
}
