using System.Globalization;
using Compare.CommandLine;

namespace Compare.Tabular;

/// <summary>
/// A CSV file of numeric features and one label column, read for the tabular comparison. The header is detected (a
/// first row with a non-numeric cell in a feature column) unless the user says; the label column is chosen by name or
/// position, and may hold any text (class names) or numbers.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string[] featureNames, string labelName, float[][] features, string[] labels)
    {
        FeatureNames = featureNames;
        LabelName = labelName;
        Features = features;
        Labels = labels;
    }

    public string[] FeatureNames { get; }
    public string LabelName { get; }
    public float[][] Features { get; }
    public string[] Labels { get; }
    public int Count => Labels.Length;

    /// <param name="path">The file.</param>
    /// <param name="labelColumn">The label column's name or 0-based position; null: a column named label, class, target or y, else the last.</param>
    /// <param name="hasHeader">Whether the first row names the columns; null to detect it.</param>
    public static CsvTable Load(string path, string? labelColumn, bool? hasHeader)
    {
        if (!File.Exists(path))
            throw new UsageException($"The CSV file '{path}' does not exist.");
        var rows = File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => l.Split(',').Select(c => c.Trim().Trim('"')).ToArray()).ToList();
        if (rows.Count < 2)
            throw new UsageException($"'{path}' has fewer than two rows; it needs a row per example.");
        int width = rows[0].Length;
        int bad = rows.FindIndex(r => r.Length != width);
        if (bad >= 0)
            throw new UsageException($"Row {bad + 1} of '{path}' has {rows[bad].Length} cells but the first row has {width}; every row needs the same columns.");
        bool header = hasHeader ?? rows[0].Count(c => !IsNumber(c)) > rows[1].Count(c => !IsNumber(c));
        string[] names = header ? rows[0] : Enumerable.Range(0, width).Select(i => $"column{i}").ToArray();
        var data = header ? rows.Skip(1).ToList() : rows;
        int label = FindLabel(names, labelColumn, header, path);
        var featureColumns = Enumerable.Range(0, width).Where(i => i != label).ToArray();
        var features = new float[data.Count][];
        for (int r = 0; r < data.Count; r++)
        {
            features[r] = new float[featureColumns.Length];
            for (int f = 0; f < featureColumns.Length; f++)
            {
                string cell = data[r][featureColumns[f]];
                if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out features[r][f]))
                    throw new UsageException($"Column '{names[featureColumns[f]]}' of '{path}', row {r + (header ? 2 : 1)}, holds '{cell}', which is not a number. " +
                        "Every column but the label must be numeric; drop or encode text columns first, or name the label with --label.");
            }
        }
        return new CsvTable(featureColumns.Select(i => names[i]).ToArray(), names[label], features, data.Select(r => r[label]).ToArray());
    }

    private static int FindLabel(string[] names, string? labelColumn, bool header, string path)
    {
        if (labelColumn is null)
        {
            int named = Array.FindIndex(names, n => n.ToLowerInvariant() is "label" or "class" or "target" or "y");
            return named >= 0 ? named : names.Length - 1;
        }
        if (int.TryParse(labelColumn, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
        {
            if (index < 0 || index >= names.Length)
                throw new UsageException($"--label {labelColumn}: '{path}' has columns 0 to {names.Length - 1}.");
            return index;
        }
        int found = Array.IndexOf(names, labelColumn);
        if (found < 0)
            throw new UsageException(header
                ? $"--label '{labelColumn}': '{path}' has no such column; its columns are {string.Join(", ", names)}."
                : $"--label '{labelColumn}': '{path}' has no header row, so give the label's 0-based position.");
        return found;
    }

    private static bool IsNumber(string cell) => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
