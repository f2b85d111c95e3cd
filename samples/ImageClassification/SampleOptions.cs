namespace ImageClassification;

/// <summary>The sample's command line.</summary>
internal sealed class SampleOptions
{
    public const string Usage =
        """
        usage: dotnet run -c Release --project samples/ImageClassification [-- options]

          --images <folder>   a folder holding train/<class>/*.png and test/<class>/*.png
                              (default: the repository's data/images)
          --model <file>      where to save the trained model (default: image-classifier.zip beside the sample's binaries)
          --predict <image>   the image to classify with a PredictionEngine (default: the first test image)
          --neighbors <k>     k for the k-nearest-neighbours trainer (default: 5)
          --help              show this text
        """;

    public string? ImagesRoot { get; private set; }

    public string ModelPath { get; private set; } = Path.Combine(AppContext.BaseDirectory, "image-classifier.zip");

    public string? PredictImagePath { get; private set; }

    public int NumberOfNeighbors { get; private set; } = 5;

    public bool ShowHelp { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SampleOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            switch (name)
            {
                case "--help" or "-h":
                    options.ShowHelp = true;
                    break;
                case "--images":
                    options.ImagesRoot = Value(args, ref i);
                    break;
                case "--model":
                    options.ModelPath = Path.GetFullPath(Value(args, ref i));
                    break;
                case "--predict":
                    options.PredictImagePath = Path.GetFullPath(Value(args, ref i));
                    break;
                case "--neighbors":
                    string text = Value(args, ref i);
                    if (!int.TryParse(text, out int k) || k < 1)
                        throw new ArgumentException($"--neighbors must be a positive whole number; got '{text}'.");
                    options.NumberOfNeighbors = k;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }
        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException($"Option '{args[i]}' needs a value.");
        return args[++i];
    }
}
