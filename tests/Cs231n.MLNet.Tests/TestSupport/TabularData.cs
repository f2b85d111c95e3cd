using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.TestSupport;

/// <summary>
/// Small tables for the tests of the defaults: the real ones bundled in data/tabular and generated ones of chosen shape,
/// split 70/30 stratified (every class keeps its share in both parts) so test rows are never training rows.
/// </summary>
public sealed class TabularData
{
    private TabularData(string name, List<LabelledRow> rows, int features)
    {
        Name = name;
        Rows = rows;
        FeatureCount = features;
    }

    public string Name { get; }

    public List<LabelledRow> Rows { get; }

    public int FeatureCount { get; }

    /// <summary>A table of data/tabular: a header, the class name first, then numeric features.</summary>
    public static TabularData LoadBundled(string name)
    {
        string path = Path.Combine(FindDataDirectory(), "tabular", name + ".csv");
        var lines = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).ToArray();
        var rows = lines.Select(line =>
        {
            string[] cells = line.Split(',');
            return new LabelledRow { Label = cells[0], Features = cells.Skip(1).Select(c => float.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray() };
        }).ToList();
        return new TabularData(name, rows, rows[0].Features.Length);
    }

    /// <summary>
    /// Gaussian classes around random centres in the first <paramref name="informative"/> features (the rest is noise),
    /// every column then given its own scale 10^U(−2, 3) and offset U(−50, 50), as raw tabular columns have.
    /// </summary>
    public static TabularData Generate(int rows, int features, int classes, int informative, double separation, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, informative).Select(_ => separation * Gaussian(random)).ToArray()).ToArray();
        var scale = Enumerable.Range(0, features).Select(_ => Math.Pow(10, random.NextDouble() * 5 - 2)).ToArray();
        var offset = Enumerable.Range(0, features).Select(_ => random.NextDouble() * 100 - 50).ToArray();
        var list = new List<LabelledRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            int c = i % classes;
            var x = new float[features];
            for (int j = 0; j < features; j++)
                x[j] = (float)(((j < informative ? centres[c][j] : 0) + Gaussian(random)) * scale[j] + offset[j]);
            list.Add(new LabelledRow { Label = $"class{c}", Features = x });
        }
        return new TabularData($"generated {rows}×{features}, {classes} classes", list, features);
    }

    /// <summary>Stratified 70/30 split, shuffled by <paramref name="seed"/>.</summary>
    public (IDataView Train, IDataView Test, int TestRows) Split(MLContext mlContext, int seed = 0)
    {
        var random = new Random(seed);
        var train = new List<LabelledRow>();
        var test = new List<LabelledRow>();
        foreach (var group in Rows.GroupBy(r => r.Label).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shuffled = group.OrderBy(_ => random.Next()).ToList();
            int testCount = (int)Math.Round(0.3 * shuffled.Count);
            test.AddRange(shuffled.Take(testCount));
            train.AddRange(shuffled.Skip(testCount));
        }
        train = train.OrderBy(_ => random.Next()).ToList();
        return (SyntheticData.ToDataView(mlContext, train, FeatureCount), SyntheticData.ToDataView(mlContext, test, FeatureCount), test.Count);
    }

    /// <summary>The repository's data folder, found upwards from the test binaries.</summary>
    public static string FindDataDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "data", "tabular");
            if (Directory.Exists(candidate))
                return Path.Combine(directory.FullName, "data");
        }
        throw new DirectoryNotFoundException($"No data/tabular folder above {AppContext.BaseDirectory}; the tests run from a clone of the repository.");
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
