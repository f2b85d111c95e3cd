using SkiaSharp;

namespace Cs231n.MLNet.Tests.Compare;

/// <summary>Reads what the Compare sample wrote: the report's leaderboard and image links, and its PNGs.</summary>
internal static class ReportFiles
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The model names in the table under the report's "Leaderboard" heading, in rank order.</summary>
    public static IReadOnlyList<string> LeaderboardNames(string report)
    {
        var lines = report.Split('\n');
        int heading = Array.IndexOf(lines, "## Leaderboard");
        Assert.IsGreaterThanOrEqualTo(0, heading, "the report has a Leaderboard section");
        return lines.Skip(heading + 1)
            .SkipWhile(line => !line.StartsWith('|'))
            .TakeWhile(line => line.StartsWith('|'))
            .Skip(2) // the header and the alignment row
            .Select(line => line.Split('|')[2].Trim())
            .ToArray();
    }

    /// <summary>The test micro accuracy of a leaderboard row.</summary>
    public static double LeaderboardAccuracy(string report, string name) =>
        double.Parse(LeaderboardCell(report, name, column: 3), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The log-loss cell of a leaderboard row ("–" when the model gives no probabilities).</summary>
    public static string LeaderboardLogLoss(string report, string name) => LeaderboardCell(report, name, column: 5);

    private static string LeaderboardCell(string report, string name, int column)
    {
        var row = report.Split('\n').First(line => line.StartsWith('|') && line.Split('|')[2].Trim() == name);
        return row.Split('|')[column].Trim();
    }

    /// <summary>Asserts that a file is a PNG that SkiaSharp decodes to at least the given size.</summary>
    public static void AssertPicture(string path, int minimumWidth = 300, int minimumHeight = 200)
    {
        Assert.IsTrue(File.Exists(path), $"{Path.GetFileName(path)} was written");
        var bytes = File.ReadAllBytes(path);
        CollectionAssert.AreEqual(PngSignature, bytes.Take(PngSignature.Length).ToArray(), $"{Path.GetFileName(path)} starts with the PNG signature");
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.IsNotNull(bitmap, $"{Path.GetFileName(path)} decodes");
        Assert.IsTrue(bitmap.Width >= minimumWidth && bitmap.Height >= minimumHeight && bitmap.Width <= 6000 && bitmap.Height <= 6000,
            $"{Path.GetFileName(path)} has a sensible size; got {bitmap.Width}×{bitmap.Height}");
    }
}
