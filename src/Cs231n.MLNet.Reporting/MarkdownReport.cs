using System.Globalization;
using System.Text;
using Cs231n.MLNet.Tuning;

namespace Cs231n.MLNet.Reporting;

/// <summary>
/// Builds a Markdown report (e.g. <c>report.md</c>): headings, paragraphs, a leaderboard table and links to the
/// PNG charts written beside it.
/// </summary>
/// <example>
/// <code>
/// new MarkdownReport("Fashion-MNIST comparison")
///     .AddLeaderboard(rows)
///     .AddImage("k-NN cross-validation", Path.Combine(outputFolder, "knn-cv.png"))
///     .Save(Path.Combine(outputFolder, "report.md"));
/// </code>
/// </example>
public sealed class MarkdownReport
{
    private readonly List<Func<string, string>> _blocks = [];

    /// <summary>Starts a report with a top-level title.</summary>
    public MarkdownReport(string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Title = title;
    }

    /// <summary>The report's top-level title.</summary>
    public string Title { get; }

    /// <summary>Adds a section heading.</summary>
    /// <returns>This report, for chaining.</returns>
    public MarkdownReport AddHeading(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        _blocks.Add(_ => $"## {OneLine(text)}");
        return this;
    }

    /// <summary>Adds a paragraph of Markdown text, written as given.</summary>
    /// <returns>This report, for chaining.</returns>
    public MarkdownReport AddParagraph(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        _blocks.Add(_ => markdown.Trim());
        return this;
    }

    /// <summary>
    /// Adds an image. A rooted path is written relative to the report's folder when saved, so the report and its
    /// pictures can be moved together.
    /// </summary>
    /// <param name="caption">The alternative text, also shown in italics under the image.</param>
    /// <param name="imagePath">The image file, relative to the report or rooted.</param>
    /// <returns>This report, for chaining.</returns>
    public MarkdownReport AddImage(string caption, string imagePath)
    {
        ArgumentNullException.ThrowIfNull(caption);
        ArgumentException.ThrowIfNullOrWhiteSpace(imagePath);
        _blocks.Add(folder =>
        {
            var link = Path.IsPathRooted(imagePath) && folder.Length > 0 ? Path.GetRelativePath(folder, imagePath) : imagePath;
            link = link.Replace('\\', '/');
            var text = OneLine(caption).Replace("]", "\\]");
            return $"![{text}](<{link}>)\n\n*{Cell(caption)}*";
        });
        return this;
    }

    /// <summary>
    /// Adds a leaderboard: the rows ranked by micro accuracy (best first; equal ones keep their order), with
    /// macro accuracy, log-loss, fit and predict seconds and model size.
    /// </summary>
    /// <param name="rows">The models; at least one.</param>
    /// <returns>This report, for chaining.</returns>
    /// <exception cref="ArgumentException">There are no rows.</exception>
    public MarkdownReport AddLeaderboard(IEnumerable<LeaderboardRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ranked = rows.OrderByDescending(r => double.IsNaN(r.MicroAccuracy) ? double.NegativeInfinity : r.MicroAccuracy).ToArray();
        if (ranked.Length == 0)
            throw new ArgumentException("The leaderboard has no rows; add at least one model.", nameof(rows));
        return AddTable(
            ["#", "Model", "Micro accuracy", "Macro accuracy", "Log-loss", "Fit (s)", "Predict (s)", "Model size"],
            ranked.Select((r, i) => (IReadOnlyList<string>)
            [
                (i + 1).ToString(CultureInfo.InvariantCulture),
                r.Name,
                Number(r.MicroAccuracy, "0.0000"),
                Number(r.MacroAccuracy, "0.0000"),
                r.LogLoss is { } logLoss ? Number(logLoss, "0.0000") : "–",
                Seconds(r.FitSeconds),
                r.PredictSeconds is { } predict ? Seconds(predict) : "–",
                r.ModelSizeBytes is { } size ? Bytes(size) : "–",
            ]),
            rightAligned: [0, 2, 3, 4, 5, 6, 7]);
    }

    /// <summary>
    /// Adds the scores of a hyper-parameter search as a table: one row per setting in search order, a column per
    /// parameter, micro and macro accuracy as mean ± standard deviation over the folds, log-loss and seconds;
    /// the best setting is marked.
    /// </summary>
    /// <param name="result">A finished search.</param>
    /// <returns>This report, for chaining.</returns>
    public MarkdownReport AddSearchResult(ParameterSearchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var names = result.Scores.SelectMany(s => s.Setting.Keys).Distinct().ToArray();
        var header = names.Concat(["Micro accuracy", "Macro accuracy", "Log-loss", "Seconds", "Best"]).ToArray();
        var rows = result.Scores.Select(score => (IReadOnlyList<string>)names
            .Select(n => score.Setting.TryGetValue(n, out var v) ? ParameterSetting.Format(v) : "")
            .Concat(
            [
                Summary(score.MicroAccuracy),
                Summary(score.MacroAccuracy),
                Summary(score.LogLoss),
                Seconds(score.Duration.TotalSeconds),
                ReferenceEquals(score, result.Best) ? "◀ best" : "",
            ]).ToArray());
        return AddTable(header, rows, rightAligned: Enumerable.Range(names.Length, 4).ToArray());
    }

    /// <summary>Adds a table of text cells; the characters that would break a Markdown table are escaped.</summary>
    /// <param name="header">The column titles; at least one.</param>
    /// <param name="rows">The rows, each with as many cells as <paramref name="header"/>.</param>
    /// <param name="rightAligned">The indices of columns to align right (numbers).</param>
    /// <returns>This report, for chaining.</returns>
    /// <exception cref="ArgumentException">The header is empty or a row has the wrong number of cells.</exception>
    public MarkdownReport AddTable(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyCollection<int>? rightAligned = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        if (header.Count == 0)
            throw new ArgumentException("A table needs at least one column.", nameof(header));
        var builder = new StringBuilder();
        builder.Append("| ").AppendJoin(" | ", header.Select(Cell)).Append(" |\n|");
        for (var c = 0; c < header.Count; c++)
            builder.Append(rightAligned?.Contains(c) == true ? " ---: |" : " --- |");
        var index = 0;
        foreach (var row in rows)
        {
            if (row.Count != header.Count)
                throw new ArgumentException($"Table row {index} has {row.Count} cells but the header has {header.Count}.", nameof(rows));
            builder.Append("\n| ").AppendJoin(" | ", row.Select(Cell)).Append(" |");
            index++;
        }
        var table = builder.ToString();
        _blocks.Add(_ => table);
        return this;
    }

    /// <summary>The report as Markdown, with rooted image paths left as they are.</summary>
    public string ToMarkdown() => ToMarkdown(folder: "");

    /// <summary>Writes the report to <paramref name="path"/> (UTF-8), creating its folder.</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        File.WriteAllText(path, ToMarkdown(folder), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private string ToMarkdown(string folder) =>
        string.Join("\n\n", new[] { $"# {OneLine(Title)}" }.Concat(_blocks.Select(b => b(folder)))) + "\n";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static string Cell(string text) => OneLine(text).Replace("|", "\\|");

    private static string Number(double value, string format) =>
        double.IsNaN(value) ? "NaN" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Summary(MetricSummary summary) =>
        summary.PerFold.Count == 1 ? Number(summary.Mean, "0.0000") : $"{Number(summary.Mean, "0.0000")} ± {Number(summary.StandardDeviation, "0.0000")}";

    private static string Seconds(double seconds) =>
        seconds.ToString(seconds >= 100 ? "0" : seconds >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture);

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / 1024.0 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / 1024.0 / 1024 / 1024).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };
}
