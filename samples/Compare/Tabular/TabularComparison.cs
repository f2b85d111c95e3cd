using System.Diagnostics;
using System.Globalization;
using Compare.CommandLine;
using Compare.Display;
using Cs231n.MLNet;
using Cs231n.MLNet.Reporting;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Compare.Tabular;

/// <summary>
/// The main job on the user's own table: every trainer of this package and ML.NET's SDCA, L-BFGS, LightGBM and
/// one-versus-all FastTree, at their defaults, on one stratified 80/20 split of a CSV file. The pipeline is the one the
/// README recommends for tabular data: MapValueToKey on the label, NormalizeMinMax on the features, then the trainer.
/// </summary>
internal static class TabularComparison
{
    private const double TestShare = 0.2;

    public static int Run(CommandLineOptions options, MLContext mlContext, IRunDisplay display, CancellationToken cancellation)
    {
        display.Section("Data");
        var table = CsvTable.Load(options.Data!, options.LabelColumn, options.HasHeader);
        var (train, test) = Split(table);
        display.Info(string.Format(CultureInfo.InvariantCulture, "{0}: {1:N0} rows of {2} numeric features; label '{3}' with {4} classes; {5:N0} training and {6:N0} test rows (stratified).",
            Path.GetFileName(options.Data), table.Count, table.FeatureNames.Length, table.LabelName, table.Labels.Distinct().Count(), train.Count, test.Count));
        var trainView = mlContext.Data.Cache(ToDataView(mlContext, train, table.FeatureNames.Length));
        var testView = ToDataView(mlContext, test, table.FeatureNames.Length);

        var trainers = mlContext.MulticlassClassification.Trainers;
        var contenders = new (string Name, bool Probabilities, Func<IEstimator<ITransformer>> Create)[]
        {
            ("k-nearest neighbours (Cs231n.MLNet)", false, () => trainers.KNearestNeighbors()),
            ("Multiclass SVM (Cs231n.MLNet)", false, () => trainers.MulticlassSvm()),
            ("Softmax (Cs231n.MLNet)", true, () => trainers.Softmax()),
            ("Multilayer perceptron (Cs231n.MLNet)", true, () => trainers.MultilayerPerceptron()),
            ("SDCA maximum entropy (ML.NET)", true, () => trainers.SdcaMaximumEntropy()),
            ("L-BFGS maximum entropy (ML.NET)", true, () => trainers.LbfgsMaximumEntropy()),
            ("LightGBM (ML.NET)", true, () => trainers.LightGbm()),
            ("One-versus-all FastTree (ML.NET)", true, () => trainers.OneVersusAll(mlContext.BinaryClassification.Trainers.FastTree())),
        };
        display.Section("Training and testing (every trainer at its defaults)");
        var rows = new List<LeaderboardRow>();
        var failures = new List<string>();
        foreach (var (name, probabilities, create) in contenders)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
                    .Append(mlContext.Transforms.NormalizeMinMax("Features"))
                    .Append(create());
                var clock = Stopwatch.StartNew();
                var model = pipeline.Fit(trainView);
                double fit = clock.Elapsed.TotalSeconds;
                clock.Restart();
                var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(testView));
                rows.Add(new LeaderboardRow(name, metrics.MicroAccuracy, metrics.MacroAccuracy, probabilities ? metrics.LogLoss : null, fit, clock.Elapsed.TotalSeconds, null));
                display.Info(string.Format(CultureInfo.InvariantCulture, "{0}: test accuracy {1:F4} (fit {2:F2} s)", name, metrics.MicroAccuracy, fit));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                failures.Add($"{name}: {e.Message}");
                display.Problem($"{name} failed: {e.Message}");
            }
        }
        if (rows.Count == 0)
            return 1;
        display.Section("Leaderboard (test set)");
        var ranked = rows.OrderByDescending(r => r.MicroAccuracy).ToArray();
        display.Leaderboard(ranked);
        string outputFolder = Path.GetFullPath(options.OutputFolder);
        Directory.CreateDirectory(outputFolder);
        string report = Path.Combine(outputFolder, "report.md");
        var markdown = new MarkdownReport($"{Path.GetFileName(options.Data)}: {table.Count:N0} rows, {table.FeatureNames.Length} features, label '{table.LabelName}'")
            .AddParagraph("Every trainer at its defaults after MapValueToKey and NormalizeMinMax, on a stratified 80/20 split (seed 0).")
            .AddLeaderboard(ranked);
        File.WriteAllText(report, markdown.ToMarkdown());
        display.Info($"Report: {report}.");
        return failures.Count == 0 ? 0 : 1;
    }

    private static (List<TableRow> Train, List<TableRow> Test) Split(CsvTable table)
    {
        var random = new Random(0);
        var train = new List<TableRow>();
        var test = new List<TableRow>();
        foreach (var group in Enumerable.Range(0, table.Count).GroupBy(i => table.Labels[i]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shuffled = group.OrderBy(_ => random.Next()).ToArray();
            int testCount = (int)Math.Round(TestShare * shuffled.Length);
            test.AddRange(shuffled.Take(testCount).Select(i => new TableRow { Label = table.Labels[i], Features = table.Features[i] }));
            train.AddRange(shuffled.Skip(testCount).Select(i => new TableRow { Label = table.Labels[i], Features = table.Features[i] }));
        }
        return (train.OrderBy(_ => random.Next()).ToList(), test);
    }

    private static IDataView ToDataView(MLContext mlContext, IEnumerable<TableRow> rows, int features)
    {
        var schema = SchemaDefinition.Create(typeof(TableRow));
        schema[nameof(TableRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return mlContext.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class TableRow
    {
        public string Label { get; set; } = "";

        [VectorType]
        public float[] Features { get; set; } = [];
    }
}
