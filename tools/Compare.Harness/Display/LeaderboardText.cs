using System.Globalization;
using Cs231n.MLNet.Reporting;

namespace Compare.Display;

/// <summary>The leaderboard's cells as text, shared by the terminal table and the plain output.</summary>
internal static class LeaderboardText
{
    public static readonly string[] Header = ["#", "Model", "Micro acc.", "Macro acc.", "Log-loss", "Fit (s)", "Predict (s)", "Model size"];

    /// <summary>The rows ranked by micro accuracy, best first, as the report ranks them.</summary>
    public static IReadOnlyList<string[]> Rows(IReadOnlyList<LeaderboardRow> rows) =>
        rows.OrderByDescending(r => double.IsNaN(r.MicroAccuracy) ? double.NegativeInfinity : r.MicroAccuracy)
            .Select((r, i) => new[]
            {
                (i + 1).ToString(CultureInfo.InvariantCulture),
                r.Name,
                r.MicroAccuracy.ToString("0.0000", CultureInfo.InvariantCulture),
                r.MacroAccuracy.ToString("0.0000", CultureInfo.InvariantCulture),
                r.LogLoss is { } logLoss ? logLoss.ToString("0.0000", CultureInfo.InvariantCulture) : "-",
                Seconds(r.FitSeconds),
                r.PredictSeconds is { } predict ? Seconds(predict) : "-",
                r.ModelSizeBytes is { } size ? Bytes(size) : "-",
            })
            .ToArray();

    public static string Seconds(double seconds) =>
        seconds.ToString(seconds >= 100 ? "0" : seconds >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture);

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / 1024.0 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
    };
}
