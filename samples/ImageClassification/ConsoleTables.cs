using System.Globalization;
using System.Text;
using Microsoft.ML.Data;

namespace ImageClassification;

/// <summary>Plain-text tables for the console.</summary>
internal static class ConsoleTables
{
    /// <summary>Rows are the true classes, columns the predicted ones, as in ML.NET's own confusion table.</summary>
    public static string Confusion(ConfusionMatrix matrix, IReadOnlyList<string> classNames)
    {
        const int width = 6;
        int nameWidth = Math.Max(5, classNames.Max(n => n.Length));
        var text = new StringBuilder();
        text.Append("truth \\ predicted".PadRight(nameWidth + 2));
        for (int j = 0; j < classNames.Count; j++)
            text.Append(Abbreviate(classNames[j], width - 1).PadLeft(width));
        text.AppendLine("  recall");
        for (int i = 0; i < classNames.Count; i++)
        {
            text.Append(classNames[i].PadRight(nameWidth + 2));
            for (int j = 0; j < classNames.Count; j++)
                text.Append(matrix.Counts[i][j].ToString("0", CultureInfo.InvariantCulture).PadLeft(width));
            text.AppendLine(matrix.PerClassRecall[i].ToString("0.00", CultureInfo.InvariantCulture).PadLeft(8));
        }
        return text.ToString();
    }

    private static string Abbreviate(string name, int length) => name.Length <= length ? name : name[..length];
}
