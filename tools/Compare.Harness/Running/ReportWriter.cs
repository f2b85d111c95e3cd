using System.Globalization;
using Compare.Contenders;
using Compare.Datasets;
using Cs231n.MLNet.Reporting;
using Cs231n.MLNet.Tuning;

namespace Compare.Running;

/// <summary>Writes <c>report.md</c>: the leaderboard, the best model, and every contender's search and pictures.</summary>
internal static class ReportWriter
{
    public const string FileName = "report.md";

    /// <summary>
    /// The search's table; for margins rather than probabilities (the SVM) without the log-loss column, whose
    /// values ML.NET would compute from the margins and which would mean nothing.
    /// </summary>
    private static void AddSearchTable(MarkdownReport report, ContenderResult result)
    {
        var search = result.Search!;
        if (result.Contender.ScoresAreProbabilities)
        {
            report.AddSearchResult(search);
            return;
        }
        var names = search.Scores.SelectMany(s => s.Setting.Keys).Distinct().ToArray();
        string Summary(MetricSummary m) => m.PerFold.Count == 1
            ? m.Mean.ToString("0.0000", CultureInfo.InvariantCulture)
            : FormattableString.Invariant($"{m.Mean:0.0000} ± {m.StandardDeviation:0.0000}");
        report.AddTable(
            [.. names, "Micro accuracy", "Macro accuracy", "Seconds", "Best"],
            search.Scores.Select(score => (IReadOnlyList<string>)
            [
                .. names.Select(n => score.Setting.TryGetValue(n, out var v) ? ParameterSetting.Format(v) : ""),
                Summary(score.MicroAccuracy),
                Summary(score.MacroAccuracy),
                Display.LeaderboardText.Seconds(score.Duration.TotalSeconds),
                ReferenceEquals(score, search.Best) ? "◀ best" : "",
            ]),
            rightAligned: Enumerable.Range(names.Length, 3).ToArray());
    }

    public static string Write(string outputFolder, ComparisonData data, ComparisonOutcome outcome, ContenderResult best,
        Picture confusionMatrix, ReloadCheck.Outcome reload, bool quick)
    {
        var report = new MarkdownReport("Cs231n.MLNet against ML.NET's trainers");
        report.AddParagraph(string.Create(CultureInfo.InvariantCulture,
            $"**Data:** {data.Description}: {data.Shape}. Pixels are scaled to [0, 1]; every model sees the same rows. " +
            $"k-NN was cross-validated on {outcome.CrossValidationRowCount:N0} training rows; the validation-split searches trained on 80% of the training rows and scored on the other 20%. " +
            $"Each final model was trained on all training rows and measured once on the test rows. " +
            $"{(quick ? "This was a **quick** run (small search grids, fewer boosting rounds). " : "")}" +
            $"Total time {outcome.TotalSeconds:0} s on {Environment.ProcessorCount} logical cores."));

        report.AddHeading("Leaderboard");
        report.AddLeaderboard(outcome.Results.Select(r => r.ToLeaderboardRow()));
        report.AddParagraph(
            "Micro accuracy is the share of test images classified correctly; macro accuracy averages the per-class accuracies. " +
            "Fit is the time to train the final pipeline on all training rows (after tuning); predict is the time to score the test set and compute its metrics; " +
            "model size is the saved ML.NET zip. The multiclass SVM's scores are margins, not probabilities, so it has no log-loss; " +
            "k-nearest neighbours' scores are vote shares, whose zeros make its log-loss large. Timings come from one run and vary between runs.");

        report.AddHeading("Best model");
        report.AddParagraph(string.Create(CultureInfo.InvariantCulture,
            $"**{best.Contender.DisplayName}** ({best.Contender.DescribeSetting(best.Setting)}), test accuracy {best.TestMetrics.MicroAccuracy:0.0000}. " +
            $"Saved to `{Path.GetFileName(reload.ModelPath)}` and loaded back with `mlContext.Model.Load`: {reload.Summary}"));
        report.AddImage(confusionMatrix.Caption, confusionMatrix.Path);

        foreach (var result in outcome.Results)
        {
            report.AddHeading(result.Contender.DisplayName);
            string chosen = result.Search is null
                ? $"Settings: {result.Contender.DescribeSetting(null)}."
                : $"Chosen by {(result.Search.Mode == SearchMode.CrossValidation ? $"{result.Search.Scores[0].FoldMetrics.Count}-fold cross-validation" : "validation accuracy on a held-out 20% of the training rows")} " +
                  $"over {result.Search.Scores.Count} settings in {result.Search.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s: **{result.Setting}**.";
            report.AddParagraph(string.Create(CultureInfo.InvariantCulture,
                $"{chosen} Test micro accuracy {result.TestMetrics.MicroAccuracy:0.0000}, macro {result.TestMetrics.MacroAccuracy:0.0000}."));
            if (result.Search is not null)
                AddSearchTable(report, result);
            foreach (var picture in result.Pictures)
                report.AddImage(picture.Caption, picture.Path);
        }

        if (outcome.Failures.Count > 0)
        {
            report.AddHeading("Failed");
            foreach (var (contender, reason) in outcome.Failures)
                report.AddParagraph($"**{contender.DisplayName}**: {reason}");
        }

        string path = Path.Combine(outputFolder, FileName);
        report.Save(path);
        return path;
    }
}
