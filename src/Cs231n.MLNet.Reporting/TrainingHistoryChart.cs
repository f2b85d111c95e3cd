using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace Cs231n.MLNet.Reporting;

/// <summary>
/// CS231n's training curves: the loss at every iteration (raw and smoothed) above the training and validation
/// accuracy at every epoch — the pictures that tell a too-high learning rate or overfitting apart.
/// </summary>
public static class TrainingHistoryChart
{
    /// <summary>Renders the training curves as PNG bytes.</summary>
    /// <param name="lossHistory">The loss at each iteration; at least one value. NaN values leave gaps.</param>
    /// <param name="trainAccuracy">The training accuracy after each epoch; null or empty for no accuracy panel.</param>
    /// <param name="validationAccuracy">The validation accuracy after each epoch; null or empty for none.</param>
    /// <param name="options">Title, size and smoothing; defaults when null.</param>
    /// <exception cref="ArgumentException">The loss history is empty, or an option is out of range.</exception>
    public static byte[] Render(
        IReadOnlyList<float> lossHistory,
        IReadOnlyList<float>? trainAccuracy = null,
        IReadOnlyList<float>? validationAccuracy = null,
        TrainingHistoryChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lossHistory);
        options ??= new TrainingHistoryChartOptions();
        options.Validate();
        if (lossHistory.Count == 0)
            throw new ArgumentException("The 'lossHistory' is empty; train at least one iteration or leave the loss chart out.", nameof(lossHistory));
        if (options.SmoothingWindow < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.SmoothingWindow,
                $"The 'SmoothingWindow' option must be 0 (automatic) or positive; got {options.SmoothingWindow}.");

        var hasAccuracy = trainAccuracy is { Count: > 0 } || validationAccuracy is { Count: > 0 };
        var title = options.Title ?? "Training history";
        if (!hasAccuracy)
            return PlotRendering.ToPng(LossModel(lossHistory, options, title), options.Width, options.Height);

        var lossHeight = options.Height / 2;
        return PlotRendering.StackVertically(
        [
            PlotRendering.ToPng(LossModel(lossHistory, options, title), options.Width, lossHeight),
            PlotRendering.ToPng(AccuracyModel(trainAccuracy, validationAccuracy), options.Width, options.Height - lossHeight),
        ]);
    }

    /// <summary>Renders the training curves to a PNG file, creating its folder.</summary>
    /// <inheritdoc cref="Render"/>
    public static void Save(
        string path,
        IReadOnlyList<float> lossHistory,
        IReadOnlyList<float>? trainAccuracy = null,
        IReadOnlyList<float>? validationAccuracy = null,
        TrainingHistoryChartOptions? options = null) =>
        PlotRendering.Save(path, () => Render(lossHistory, trainAccuracy, validationAccuracy, options));

    private static PlotModel LossModel(IReadOnlyList<float> loss, TrainingHistoryChartOptions options, string title)
    {
        var window = options.SmoothingWindow == 0 ? Math.Max(1, loss.Count / 50) : options.SmoothingWindow;
        var model = PlotRendering.NewModel(title, withLegend: window > 1);
        model.Legends.FirstOrDefault()?.LegendPosition = OxyPlot.Legends.LegendPosition.TopRight;
        model.Axes.Add(PlotRendering.NewLinearAxis(AxisPosition.Bottom, "Iteration"));
        model.Axes.Add(PlotRendering.NewLinearAxis(AxisPosition.Left, "Loss"));
        var color = PlotRendering.Palette[0];

        var raw = new LineSeries { Title = window > 1 ? "loss" : null, Color = OxyColor.FromAColor(window > 1 ? (byte)90 : (byte)255, color), StrokeThickness = 1 };
        for (var i = 0; i < loss.Count; i++)
            raw.Points.Add(new DataPoint(i + 1, Finite(loss[i])));
        if (loss.Count == 1)
        {
            raw.MarkerType = MarkerType.Circle;
            raw.MarkerFill = color;
        }
        model.Series.Add(raw);

        if (window > 1)
        {
            var smooth = new LineSeries { Title = $"moving average of {window}", Color = color, StrokeThickness = 2 };
            double sum = 0;
            var count = 0;
            var queue = new Queue<double>();
            for (var i = 0; i < loss.Count; i++)
            {
                // NaN losses (a diverged step) are skipped rather than poisoning the whole average.
                if (double.IsFinite(loss[i]))
                {
                    queue.Enqueue(loss[i]);
                    sum += loss[i];
                    count++;
                }
                else
                    queue.Enqueue(double.NaN);
                if (queue.Count > window && queue.Dequeue() is var old && double.IsFinite(old))
                {
                    sum -= old;
                    count--;
                }
                if (queue.Count == window && count > 0)
                    smooth.Points.Add(new DataPoint(i + 1, sum / count));
            }
            model.Series.Add(smooth);
        }
        return model;
    }

    private static PlotModel AccuracyModel(IReadOnlyList<float>? train, IReadOnlyList<float>? validation)
    {
        var model = PlotRendering.NewModel("Classification accuracy", withLegend: true);
        var epochs = Math.Max(train?.Count ?? 0, validation?.Count ?? 0);
        var xAxis = PlotRendering.NewLinearAxis(AxisPosition.Bottom, "Epoch");
        xAxis.Minimum = 0.5;
        xAxis.Maximum = epochs + 0.5;
        if (epochs <= 30)
            xAxis.MajorStep = 1;
        model.Axes.Add(xAxis);
        model.Axes.Add(PlotRendering.NewLinearAxis(AxisPosition.Left, "Accuracy"));
        AddAccuracy(model, train, "train", PlotRendering.Palette[0]);
        AddAccuracy(model, validation, "validation", PlotRendering.Palette[1]);
        return model;
    }

    private static void AddAccuracy(PlotModel model, IReadOnlyList<float>? values, string title, OxyColor color)
    {
        if (values is not { Count: > 0 })
            return;
        var series = new LineSeries { Title = title, Color = color, StrokeThickness = 2, MarkerType = MarkerType.Circle, MarkerSize = 3.5, MarkerFill = color };
        for (var i = 0; i < values.Count; i++)
            series.Points.Add(new DataPoint(i + 1, Finite(values[i])));
        model.Series.Add(series);
    }

    private static double Finite(float value) => float.IsFinite(value) ? value : double.NaN;
}
