using Cs231n.MLNet.Data;

namespace Cs231n.MLNet.Tools.DataCutter;

/// <summary>The command line: where to read, where to write, and how many images of each class to keep.</summary>
internal sealed class CutterOptions
{
    public const string Usage =
        "Usage: dotnet run -c Release --project tools/DataCutter -- [--source DIR] [--output DIR]\n" +
        "  --source DIR   the full Fashion-MNIST (default: " + FashionMnist.InstalledDirectory + ")\n" +
        "  --output DIR   the folder to write fashion-mnist/ and images/ into (default: data)\n" +
        "Writes the first 200 train / 50 test images of every class as gzipped IDX files, and the first\n" +
        "100 train / 20 test images of every class as PNG files in one folder per class.";

    public string Source { get; private set; } = FashionMnist.InstalledDirectory;

    public string Output { get; private set; } = "data";

    public int IdxTrainPerClass => 200;

    public int IdxTestPerClass => 50;

    public int PngTrainPerClass => 100;

    public int PngTestPerClass => 20;

    public static CutterOptions? Parse(string[] args)
    {
        var options = new CutterOptions();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--source" when i + 1 < args.Length:
                    options.Source = args[++i];
                    break;
                case "--output" when i + 1 < args.Length:
                    options.Output = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'.");
                    return null;
            }
        }
        return options;
    }
}
