using Cs231n.MLNet.Tuning;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace Cs231n.MLNet.Reporting;

/// <summary>
/// CS231n's cross-validation figure: a metric against one hyper-parameter (e.g. accuracy against k), one line
/// per combination of the other parameters, with every fold's value as a dot and the standard deviation over
/// the folds as error bars around the mean.
/// </summary>
public static class CrossValidationChart
{
    /// <summary>Renders the chart of a search result as PNG bytes.</summary>
    /// <param name="result">A finished search whose settings all have the numeric parameter <paramref name="xParameter"/>.</param>
    /// <param name="xParameter">The parameter on the horizontal axis; the other parameters each make a line.</param>
    /// <param name="metric">The metric on the vertical axis.</param>
    /// <param name="options">Title and size; defaults when null.</param>
    /// <exception cref="ArgumentException">A setting lacks <paramref name="xParameter"/> or its value is not a number.</exception>
    public static byte[] Render(ParameterSearchResult result, string xParameter, SearchMetric metric = SearchMetric.MicroAccuracy, ChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var series = ToSeries(result, xParameter, metric);
        var kind = result.Mode == SearchMode.CrossValidation ? "Cross-validated" : "Validation";
        var folds = result.Mode == SearchMode.CrossValidation ? $" ({result.Scores[0].FoldMetrics.Count} folds)" : "";
        var title = $"{kind} {Describe(metric)} vs {xParameter}{folds}";
        return Render(series, xParameter, $"{kind} {Describe(metric)}", options, title);
    }

    /// <summary>Renders the chart of a search result to a PNG file, creating its folder.</summary>
    /// <inheritdoc cref="Render(ParameterSearchResult, string, SearchMetric, ChartOptions?)"/>
    public static void Save(string path, ParameterSearchResult result, string xParameter, SearchMetric metric = SearchMetric.MicroAccuracy, ChartOptions? options = null) =>
        PlotRendering.Save(path, () => Render(result, xParameter, metric, options));

    /// <summary>Renders lines given point by point as PNG bytes.</summary>
    /// <param name="series">The lines; at least one, each with at least one point.</param>
    /// <param name="xAxisTitle">The horizontal axis title, e.g. <c>k</c>.</param>
    /// <param name="yAxisTitle">The vertical axis title, e.g. <c>Cross-validated accuracy</c>.</param>
    /// <param name="options">Title and size; defaults when null.</param>
    /// <exception cref="ArgumentException">There are no lines or a line has no points.</exception>
    public static byte[] Render(IReadOnlyList<CrossValidationSeries> series, string xAxisTitle, string yAxisTitle, ChartOptions? options = null) =>
        Render(series, xAxisTitle, yAxisTitle, options, $"{yAxisTitle} vs {xAxisTitle}");

    /// <summary>Renders lines given point by point to a PNG file, creating its folder.</summary>
    /// <inheritdoc cref="Render(IReadOnlyList{CrossValidationSeries}, string, string, ChartOptions?)"/>
    public static void Save(string path, IReadOnlyList<CrossValidationSeries> series, string xAxisTitle, string yAxisTitle, ChartOptions? options = null) =>
        PlotRendering.Save(path, () => Render(series, xAxisTitle, yAxisTitle, options));

    private static byte[] Render(IReadOnlyList<CrossValidationSeries> series, string xAxisTitle, string yAxisTitle, ChartOptions? options, string defaultTitle)
    {
        ArgumentNullException.ThrowIfNull(series);
        options ??= new ChartOptions();
        options.Validate();
        if (series.Count == 0)
            throw new ArgumentException("The chart needs at least one series.", nameof(series));
        var empty = series.FirstOrDefault(s => s.Points.Count == 0);
        if (empty is not null)
            throw new ArgumentException($"The series '{empty.Name}' has no points; add at least one.", nameof(series));

        var model = PlotRendering.NewModel(options.Title ?? defaultTitle, withLegend: series.Count > 1 || series[0].Name.Length > 0,
            OxyPlot.Legends.LegendPosition.RightTop, legendOutside: true);
        var allX = series.SelectMany(s => s.Points.Select(p => p.X)).Distinct().Order().ToArray();
        var xAxis = PlotRendering.NewLinearAxis(AxisPosition.Bottom, xAxisTitle);
        var span = Math.Max(allX[^1] - allX[0], 1);
        xAxis.Minimum = allX[0] - 0.05 * span;
        xAxis.Maximum = allX[^1] + 0.05 * span;
        if (allX.All(x => x == Math.Round(x)) && allX.Length <= 20)
        {
            // Integer parameters such as k read best with a label and a grid line at every tried value only.
            xAxis.LabelFormatter = v => allX.Contains(Math.Round(v, 6)) ? v.ToString("0", System.Globalization.CultureInfo.InvariantCulture) : "";
            xAxis.MajorStep = Math.Max(1, GreatestCommonDivisor(allX));
            xAxis.MajorGridlineStyle = LineStyle.None;
            xAxis.TickStyle = TickStyle.None;
            foreach (var x in allX)
                model.Annotations.Add(new OxyPlot.Annotations.LineAnnotation
                {
                    Type = OxyPlot.Annotations.LineAnnotationType.Vertical,
                    X = x,
                    Color = OxyColor.FromRgb(225, 225, 225),
                    LineStyle = LineStyle.Solid,
                    Layer = OxyPlot.Annotations.AnnotationLayer.BelowSeries,
                });
        }
        model.Axes.Add(xAxis);
        model.Axes.Add(PlotRendering.NewLinearAxis(AxisPosition.Left, yAxisTitle));

        for (var i = 0; i < series.Count; i++)
        {
            var color = PlotRendering.Palette[i % PlotRendering.Palette.Length];
            var points = series[i].Points.OrderBy(p => p.X).ToArray();
            var folds = new ScatterSeries { MarkerType = MarkerType.Circle, MarkerSize = 3, MarkerFill = OxyColor.FromAColor(90, color) };
            foreach (var (x, summary) in points)
                foreach (var value in summary.PerFold)
                    folds.Points.Add(new ScatterPoint(x, value));
            model.Series.Add(folds);

            var errors = new ScatterErrorSeries
            {
                MarkerType = MarkerType.None,
                ErrorBarColor = color,
                ErrorBarStrokeThickness = 1.5,
                ErrorBarStopWidth = 5,
            };
            var line = new LineSeries
            {
                Title = series[i].Name,
                Color = color,
                StrokeThickness = 2,
                MarkerType = MarkerType.Circle,
                MarkerSize = 4,
                MarkerFill = color,
            };
            foreach (var (x, summary) in points)
            {
                errors.Points.Add(new ScatterErrorPoint(x, summary.Mean, 0, summary.StandardDeviation));
                line.Points.Add(new DataPoint(x, summary.Mean));
            }
            model.Series.Add(errors);
            model.Series.Add(line);
        }
        return PlotRendering.ToPng(model, options.Width, options.Height);
    }

    private static IReadOnlyList<CrossValidationSeries> ToSeries(ParameterSearchResult result, string xParameter, SearchMetric metric)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(xParameter);
        var lines = new List<CrossValidationSeries>();
        foreach (var score in result.Scores)
        {
            if (!score.Setting.TryGetValue(xParameter, out var value))
                throw new ArgumentException(
                    $"Setting {score.Index} ({score.Setting}) has no parameter '{xParameter}'; choose one of: {string.Join(", ", score.Setting.Keys)}.", nameof(xParameter));
            if (value is not IConvertible convertible || value is Enum || value is string || value is bool)
                throw new ArgumentException(
                    $"The parameter '{xParameter}' must be numeric to be an axis; setting {score.Index} has {value.GetType().Name} {ParameterSetting.Format(value)}.", nameof(xParameter));
            var x = convertible.ToDouble(System.Globalization.CultureInfo.InvariantCulture);
            var name = string.Join(", ", score.Setting.Where(p => p.Key != xParameter).Select(p => $"{p.Key}={ParameterSetting.Format(p.Value)}"));
            var line = lines.FirstOrDefault(l => l.Name == name);
            if (line is null)
                lines.Add(line = new CrossValidationSeries(name));
            line.Add(x, score[metric].PerFold);
        }
        return lines;
    }

    private static string Describe(SearchMetric metric) => metric switch
    {
        SearchMetric.MicroAccuracy => "accuracy",
        SearchMetric.MacroAccuracy => "macro accuracy",
        SearchMetric.LogLoss => "log-loss",
        SearchMetric.LogLossReduction => "log-loss reduction",
        _ => metric.ToString(),
    };

    private static double GreatestCommonDivisor(IEnumerable<double> values)
    {
        long gcd = 0;
        foreach (var value in values)
        {
            long a = Math.Abs((long)value), b = gcd;
            while (b != 0)
                (a, b) = (b, a % b);
            gcd = a;
        }
        return gcd;
    }
}
