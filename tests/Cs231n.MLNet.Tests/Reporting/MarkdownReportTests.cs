using Cs231n.MLNet.Reporting;
using Cs231n.MLNet.Tests.Tuning;
using Cs231n.MLNet.Tuning;
using Microsoft.ML;

namespace Cs231n.MLNet.Tests.Reporting;

[TestClass]
public sealed class MarkdownReportTests
{
    private static readonly LeaderboardRow[] Rows =
    [
        new("SdcaMaximumEntropy", 0.8312, 0.8301, 0.4821, 12.5, 0.21, 33_000),
        new("kNN (k=5, L1)", 0.8560, 0.8549, null, 0.02, 95.3, 188_000_000),
        new("Multiclass SVM | hinge", 0.8105, 0.8090, null, 4.1, null, null),
    ];

    [TestMethod]
    public void Save_WritesEveryLeaderboardRowRanked_AndRelativeImageLinks()
    {
        var folder = Path.Combine(PngAssert.OutputFolder, "report");
        var chart = Path.Combine(folder, "charts", "cv curve.png");
        var path = Path.Combine(folder, "report.md");

        new MarkdownReport("Fashion-MNIST comparison")
            .AddParagraph("Trained on 60000 images, tested on 10000.")
            .AddHeading("Leaderboard")
            .AddLeaderboard(Rows)
            .AddImage("kNN cross-validation", chart)
            .AddImage("Templates", "templates.png")
            .Save(path);

        var text = File.ReadAllText(path);
        var lines = text.Split('\n');
        StringAssert.StartsWith(text, "# Fashion-MNIST comparison\n");
        StringAssert.Contains(text, "| # | Model | Micro accuracy | Macro accuracy | Log-loss | Fit (s) | Predict (s) | Model size |");
        StringAssert.Contains(text, "| 1 | kNN (k=5, L1) | 0.8560 | 0.8549 | – | 0.020 | 95.3 | 179.3 MiB |".Replace("95.3", "95.30"));
        StringAssert.Contains(text, "| 2 | SdcaMaximumEntropy | 0.8312 | 0.8301 | 0.4821 | 12.50 | 0.210 | 32.2 KiB |");
        StringAssert.Contains(text, "| 3 | Multiclass SVM \\| hinge | 0.8105 | 0.8090 | – | 4.10 | – | – |");
        Assert.AreEqual(3, lines.Count(l => l.StartsWith("| ") && char.IsDigit(l[2])), "one table line per model");
        StringAssert.Contains(text, "![kNN cross-validation](<charts/cv curve.png>)");
        StringAssert.Contains(text, "![Templates](<templates.png>)");
    }

    [TestMethod]
    public void AddSearchResult_WritesOneRowPerSetting_AndMarksTheBest()
    {
        var mlContext = new MLContext(seed: 1);
        var data = BlobData.Create(mlContext, rowsPerClass: 20);
        var grid = new ParameterGrid().Add("features", "Noise", "Features");
        var result = new ParameterSearch(mlContext).CrossValidate(data, grid.Settings(),
            s => BlobData.LabelToKey(mlContext).Append(mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(featureColumnName: s.Get<string>("features"))),
            new ParameterSearchOptions { NumberOfFolds = 3 });

        var text = new MarkdownReport("Search").AddSearchResult(result).ToMarkdown();

        StringAssert.Contains(text, "| features | Micro accuracy | Macro accuracy | Log-loss | Seconds | Best |");
        var rows = text.Split('\n').Where(l => l.StartsWith("| Noise") || l.StartsWith("| Features")).ToArray();
        Assert.HasCount(2, rows);
        StringAssert.StartsWith(rows[1], FormattableString.Invariant($"| Features | {result.Scores[1].MicroAccuracy.Mean:0.0000} ± {result.Scores[1].MicroAccuracy.StandardDeviation:0.0000} |"));
        StringAssert.EndsWith(rows[1], "| ◀ best |");
        StringAssert.EndsWith(rows[0], "|  |");
    }

    [TestMethod]
    public void EmptyOrRaggedTables_AreRejected()
    {
        var report = new MarkdownReport("r");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => report.AddLeaderboard([])).Message, "no rows");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => report.AddTable(["a", "b"], [["1"]])).Message, "Table row 0 has 1 cells but the header has 2");
    }
}
