namespace Cs231n.MLNet.Reporting;

/// <summary>Options of <see cref="TrainingHistoryChart"/>.</summary>
public sealed class TrainingHistoryChartOptions : ChartOptions
{
    /// <summary>Creates the options with a taller default height, for the loss and accuracy panels stacked.</summary>
    public TrainingHistoryChartOptions() => Height = 800;

    /// <summary>
    /// The window of the moving average drawn over the noisy per-iteration loss: 0 chooses one from the length of
    /// the history (about 1/50 of it), 1 draws no smoothed line.
    /// </summary>
    public int SmoothingWindow;
}
