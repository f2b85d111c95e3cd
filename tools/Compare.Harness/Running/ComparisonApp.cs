using System.Globalization;
using Compare.CommandLine;
using Compare.Contenders;
using Compare.Datasets;
using Compare.Display;
using Cs231n.MLNet.Reporting;
using Microsoft.ML;

namespace Compare.Running;

/// <summary>
/// The Compare program around its contenders: parse the command line, load the data, run every contender (search,
/// fit, test), print the leaderboard, check the best model's reload and write the report.
/// </summary>
internal static class ComparisonApp
{
    public const int Success = 0, Failure = 1, BadInput = 2, Cancelled = 130;

    /// <summary>Runs the comparison and returns the process exit code.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="createContenders">Every contender, for a context and whether the run is quick.</param>
    /// <param name="runTable">The comparison on a CSV table (<c>--data table.csv</c>).</param>
    public static int Run(string[] args, Func<MLContext, bool, IReadOnlyList<Contender>> createContenders,
        Func<CommandLineOptions, MLContext, IRunDisplay, CancellationToken, int> runTable)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

        var slugs = createContenders(new MLContext(seed: 0), true).Select(c => c.Slug).ToArray();
        CommandLineOptions options;
        try
        {
            options = CommandLineOptions.Parse(args, slugs);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine(e.Message);
            return BadInput;
        }
        if (options.Help)
        {
            Console.WriteLine(CommandLineOptions.Usage(slugs));
            return Success;
        }

        IRunDisplay display = Console.IsOutputRedirected ? new PlainRunDisplay() : new SpectreRunDisplay();
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C stops between search settings and contenders; a second one ends the process.
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };

        var mlContext = new MLContext(seed: 0);
        try
        {
            if (options.IsTable)
                return runTable(options, mlContext, display, cancellation.Token);
            display.Section("Data");
            ComparisonData data;
            try
            {
                data = DataSourceLoader.Load(options, mlContext);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                throw new UsageException($"The data could not be read: {e.Message}");
            }
            if (options.TrainRows is { } trainRows)
                data = data.LimitTraining(trainRows);
            display.Info($"{data.Description}: {data.Shape}.");

            string outputFolder = Path.GetFullPath(options.OutputFolder);
            Directory.CreateDirectory(outputFolder);
            var contenders = createContenders(mlContext, options.Quick)
                .Where(c => options.Trainers is null || options.Trainers.Contains(c.Slug))
                .ToArray();

            display.Section("Tuning, training and testing");
            var runner = new ComparisonRunner(mlContext, display, outputFolder, options.CrossValidationRows, cancellation.Token);
            var outcome = runner.Run(data, contenders);
            if (outcome.Results.Count == 0)
            {
                display.Problem("Every contender failed; there is nothing to compare.");
                return Failure;
            }

            display.Section("Leaderboard (test set)");
            display.Leaderboard(outcome.Results.Select(r => r.ToLeaderboardRow()).ToArray());

            var best = outcome.Results.MaxBy(r => r.TestMetrics.MicroAccuracy)!;
            string confusionPath = Path.Combine(outputFolder, "confusion-matrix.png");
            ConfusionMatrixChart.Save(confusionPath, best.TestMetrics.ConfusionMatrix, data.ClassNames);
            var confusion = new Picture($"Confusion matrix of the best model, {best.Contender.DisplayName}, on the test set", confusionPath);

            display.Section("Best model");
            var reload = ReloadCheck.Run(mlContext, best, data, outputFolder);
            display.Info($"Saved {best.Contender.DisplayName} to {reload.ModelPath}.");
            display.Info(reload.Summary);

            string report = ReportWriter.Write(outputFolder, data, outcome, best, confusion, reload, options.Quick);
            display.Info($"Report: {report} (pictures beside it). Total {outcome.TotalSeconds:0} s.");
            foreach (var (contender, reason) in outcome.Failures)
                display.Problem($"{contender.DisplayName} failed: {reason}");
            return outcome.Failures.Count == 0 ? Success : Failure;
        }
        catch (UsageException e)
        {
            display.Problem(e.Message);
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            display.Problem("Cancelled.");
            return Cancelled;
        }
    }
}
