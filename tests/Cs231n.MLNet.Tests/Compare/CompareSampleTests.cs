using Cs231n.MLNet.Tests.Data;

namespace Cs231n.MLNet.Tests.Compare;

/// <summary>
/// The Compare sample end to end, as a user runs it: a quick run on the bundled data must write the report, every
/// picture and the best model, rank every trainer, and exit with 0; bad input must exit with 2 and say why.
/// </summary>
[TestClass]
public sealed class CompareSampleTests
{
    private static readonly string[] Trainers =
    [
        "k-nearest neighbours (Cs231n.MLNet)",
        "Multiclass SVM (Cs231n.MLNet)",
        "Softmax (Cs231n.MLNet)",
        "Multilayer perceptron (Cs231n.MLNet)",
        "Convolutional network (Cs231n.MLNet)",
        "SDCA maximum entropy (ML.NET)",
        "L-BFGS maximum entropy (ML.NET)",
        "LightGBM (ML.NET)",
        "One-versus-all FastTree (ML.NET)",
    ];

    private static readonly string[] Pictures =
    [
        "confusion-matrix.png",
        "knn-search.png",
        "svm-search.png",
        "svm-history.png",
        "svm-templates.png",
        "softmax-search.png",
        "softmax-history.png",
        "softmax-templates.png",
        "mlp-search.png",
        "mlp-history.png",
        "mlp-first-layer.png",
        "cnn-history.png",
        "cnn-first-layer.png",
        "sdca-templates.png",
        "lbfgs-templates.png",
    ];

    [TestMethod]
    public void QuickRunOnBundledDataWritesReportPicturesAndRanksEveryTrainer()
    {
        using var output = new TempFolder();
        var run = CompareSample.Start("--quick", "--train-rows", "500", "--output", output.Path);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.DoesNotContain("\u001b[", run.Output, "redirected output is plain text, without terminal control codes");
        string report = File.ReadAllText(output.File("report.md"));
        CollectionAssert.AreEquivalent(Trainers, ReportFiles.LeaderboardNames(report).ToArray(), report);
        foreach (string picture in Pictures)
        {
            ReportFiles.AssertPicture(output.File(picture));
            Assert.Contains($"(<{picture}>)", report, $"report.md links {picture}");
        }
        // On 500 training images kNN reaches about 0.7; a broken label mapping or pipeline would give about 0.1.
        Assert.IsGreaterThan(0.6, ReportFiles.LeaderboardAccuracy(report, "k-nearest neighbours (Cs231n.MLNet)"), report);
        Assert.IsGreaterThan(0.6, ReportFiles.LeaderboardAccuracy(report, "Softmax (Cs231n.MLNet)"), report);
        Assert.AreEqual("–", ReportFiles.LeaderboardLogLoss(report, "Multiclass SVM (Cs231n.MLNet)"), "the SVM's margins are not probabilities, so it has no log-loss");
        Assert.IsTrue(new FileInfo(output.File("best-model.zip")).Length > 0, "the best model was saved");
        Assert.Contains("The reloaded ", run.Output, run.ToString());
    }

    [TestMethod]
    public void ImageFolderIsLoadedThroughImageAnalyticsWithItsOwnTrainTestSplit()
    {
        using var output = new TempFolder();
        string images = Path.Combine(AppContext.BaseDirectory, "data", "images");
        var run = CompareSample.Start("--data", images, "--quick", "--trainers", "knn,lbfgs", "--output", output.Path);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("1,000 training and 200 test images of 28×28×1 in 10 classes", run.Output, run.ToString());
        string report = File.ReadAllText(output.File("report.md"));
        CollectionAssert.AreEquivalent(new[] { "k-nearest neighbours (Cs231n.MLNet)", "L-BFGS maximum entropy (ML.NET)" },
            ReportFiles.LeaderboardNames(report).ToArray(), report);
        Assert.IsGreaterThan(0.6, ReportFiles.LeaderboardAccuracy(report, "k-nearest neighbours (Cs231n.MLNet)"), report);
        ReportFiles.AssertPicture(output.File("lbfgs-templates.png"));
    }

    [TestMethod]
    public void MissingDataFolderExitsWithCode2AndNamesTheFolder()
    {
        using var output = new TempFolder();
        string missing = output.File("no-such-folder");
        var run = CompareSample.Start("--data", missing, "--output", output.Path);

        Assert.AreEqual(2, run.ExitCode, run.ToString());
        Assert.Contains($"'{missing}' does not exist", run.Errors, run.ToString());
        Assert.IsFalse(File.Exists(output.File("report.md")), "no report is written without data");
    }

    [TestMethod]
    public void UnknownTrainerExitsWithCode2AndListsTheChoices()
    {
        var run = CompareSample.Start("--trainers", "knn,perceptron");

        Assert.AreEqual(2, run.ExitCode, run.ToString());
        Assert.Contains("perceptron", run.Errors, run.ToString());
        Assert.Contains("lightgbm", run.Errors, "the message lists the valid trainer names");
    }

    [TestMethod]
    public void HelpDescribesEveryDataSourceAndExitsWithCode0()
    {
        var run = CompareSample.Start("--help");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        foreach (string expected in new[] { "--data", "fashion-mnist", "apt-get install dataset-fashion-mnist", "CIFAR-10", "--output", "--quick" })
            Assert.Contains(expected, run.Output);
    }
}
