using System.Globalization;
using Microsoft.ML.Data;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace Cs231n.MLNet.Reporting;

/// <summary>
/// A confusion matrix as a heat map: true classes down, predicted classes across, each cell showing its count
/// and shaded by the fraction of its true class it holds, so rare and common classes read alike.
/// </summary>
public static class ConfusionMatrixChart
{
    /// <summary>Renders a confusion matrix of counts as PNG bytes.</summary>
    /// <param name="counts">Square counts, <c>counts[actual, predicted]</c>; non-negative.</param>
    /// <param name="classNames">One name per class in index order; null numbers the classes from 0.</param>
    /// <param name="options">Title and size; defaults when null (the size then grows with the number of classes).</param>
    /// <exception cref="ArgumentException">The matrix is empty, not square or has a negative count, or the names do not match it.</exception>
    public static byte[] Render(int[,] counts, IReadOnlyList<string>? classNames = null, ChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var n = counts.GetLength(0);
        if (n == 0 || counts.GetLength(1) != n)
            throw new ArgumentException($"The confusion matrix must be square and non-empty; got {counts.GetLength(0)}×{counts.GetLength(1)}.", nameof(counts));
        var matrix = new double[n, n];
        for (var a = 0; a < n; a++)
        {
            for (var p = 0; p < n; p++)
            {
                if (counts[a, p] < 0)
                    throw new ArgumentException($"The confusion matrix has a negative count {counts[a, p]} at [{a}, {p}].", nameof(counts));
                matrix[a, p] = counts[a, p];
            }
        }
        return RenderCore(matrix, classNames, options);
    }

    /// <summary>Renders ML.NET's confusion matrix (from <c>MulticlassClassificationMetrics.ConfusionMatrix</c>) as PNG bytes.</summary>
    /// <param name="confusionMatrix">The matrix; rows are true classes, columns predicted ones.</param>
    /// <param name="classNames">
    /// One name per class in key order (the order of the label's key values, which <c>MapValueToKey</c> by default
    /// takes from the first appearance of each label in the data); null numbers the classes from 0.
    /// </param>
    /// <param name="options">Title and size; defaults when null.</param>
    /// <exception cref="ArgumentException">The names do not match the matrix.</exception>
    public static byte[] Render(ConfusionMatrix confusionMatrix, IReadOnlyList<string>? classNames = null, ChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(confusionMatrix);
        var n = confusionMatrix.NumberOfClasses;
        var matrix = new double[n, n];
        for (var a = 0; a < n; a++)
            for (var p = 0; p < n; p++)
                matrix[a, p] = confusionMatrix.Counts[a][p];
        return RenderCore(matrix, classNames, options);
    }

    /// <summary>Renders a confusion matrix of counts to a PNG file, creating its folder.</summary>
    /// <inheritdoc cref="Render(int[,], IReadOnlyList{string}?, ChartOptions?)"/>
    public static void Save(string path, int[,] counts, IReadOnlyList<string>? classNames = null, ChartOptions? options = null) =>
        PlotRendering.Save(path, () => Render(counts, classNames, options));

    /// <summary>Renders ML.NET's confusion matrix to a PNG file, creating its folder.</summary>
    /// <inheritdoc cref="Render(ConfusionMatrix, IReadOnlyList{string}?, ChartOptions?)"/>
    public static void Save(string path, ConfusionMatrix confusionMatrix, IReadOnlyList<string>? classNames = null, ChartOptions? options = null) =>
        PlotRendering.Save(path, () => Render(confusionMatrix, classNames, options));

    private static byte[] RenderCore(double[,] counts, IReadOnlyList<string>? classNames, ChartOptions? options)
    {
        var n = counts.GetLength(0);
        if (classNames is not null && classNames.Count != n)
            throw new ArgumentException($"There are {classNames.Count} class names for a {n}-class confusion matrix; give one name per class.", nameof(classNames));
        var names = classNames?.ToArray() ?? Enumerable.Range(0, n).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (options is null)
        {
            var side = Math.Clamp(260 + 62 * n, 500, 2400);
            options = new ChartOptions { Width = side + 120, Height = side };
        }
        options.Validate();

        double total = 0, correct = 0;
        var fraction = new double[n, n];
        for (var a = 0; a < n; a++)
        {
            double rowSum = 0;
            for (var p = 0; p < n; p++)
                rowSum += counts[a, p];
            total += rowSum;
            correct += counts[a, a];
            for (var p = 0; p < n; p++)
                fraction[a, p] = rowSum > 0 ? counts[a, p] / rowSum : 0;
        }
        var accuracy = total > 0 ? correct / total : double.NaN;
        var title = options.Title ?? FormattableString.Invariant($"Confusion matrix (accuracy {accuracy:P1} of {total:0} rows)");
        var model = PlotRendering.NewModel(title, withLegend: false);

        // Category axes put class i at coordinate i; the actual axis runs top to bottom as in a printed matrix.
        var predicted = new CategoryAxis { Position = AxisPosition.Bottom, Title = "Predicted class", Key = "x", TitleFontSize = 14, Angle = n > 6 ? -40 : 0, GapWidth = 0 };
        predicted.Labels.AddRange(names);
        var actual = new CategoryAxis { Position = AxisPosition.Left, Title = "True class", Key = "y", TitleFontSize = 14, StartPosition = 1, EndPosition = 0, GapWidth = 0 };
        actual.Labels.AddRange(names);
        model.Axes.Add(predicted);
        model.Axes.Add(actual);
        model.Axes.Add(new LinearColorAxis
        {
            Position = AxisPosition.Right,
            Palette = OxyPalette.Interpolate(200, OxyColors.White, OxyColor.FromRgb(107, 174, 214), OxyColor.FromRgb(8, 48, 107)),
            Minimum = 0,
            Maximum = 1,
            Title = "Fraction of the true class",
            TitleFontSize = 14,
            StringFormat = "P0",
        });

        // HeatMapSeries indexes its data [x, y]: x is the predicted class, y the true one.
        var data = new double[n, n];
        for (var a = 0; a < n; a++)
            for (var p = 0; p < n; p++)
                data[p, a] = fraction[a, p];
        model.Series.Add(new HeatMapSeries
        {
            X0 = 0, X1 = n - 1, Y0 = 0, Y1 = n - 1,
            Data = data,
            XAxisKey = "x",
            YAxisKey = "y",
            CoordinateDefinition = HeatMapCoordinateDefinition.Center,
            RenderMethod = HeatMapRenderMethod.Rectangles,
            Interpolate = false,
        });

        var fontSize = Math.Clamp(options.Height / (n * 3.2), 8, 16);
        for (var a = 0; a < n; a++)
        {
            for (var p = 0; p < n; p++)
            {
                model.Annotations.Add(new TextAnnotation
                {
                    Text = counts[a, p].ToString("0", CultureInfo.InvariantCulture),
                    TextPosition = new DataPoint(p, a),
                    XAxisKey = "x",
                    YAxisKey = "y",
                    TextHorizontalAlignment = HorizontalAlignment.Center,
                    TextVerticalAlignment = VerticalAlignment.Middle,
                    Stroke = OxyColors.Transparent,
                    Background = OxyColors.Transparent,
                    FontSize = fontSize,
                    FontWeight = a == p ? FontWeights.Bold : FontWeights.Normal,
                    TextColor = fraction[a, p] > 0.55 ? OxyColors.White : OxyColors.Black,
                });
            }
        }
        return PlotRendering.ToPng(model, options.Width, options.Height);
    }
}
