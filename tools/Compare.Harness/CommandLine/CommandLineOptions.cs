using System.Globalization;

namespace Compare.CommandLine;

/// <summary>What the user asked for on the command line.</summary>
internal sealed class CommandLineOptions
{
    /// <summary>The value of <c>--data</c> that selects the Debian package's full Fashion-MNIST.</summary>
    public const string FashionMnistKeyword = "fashion-mnist";

    /// <summary>Null for the bundled subset, <see cref="FashionMnistKeyword"/>, or a folder path.</summary>
    public string? Data { get; private init; }

    /// <summary>Where the report, pictures and best model go.</summary>
    public string OutputFolder { get; private init; } = Path.Combine("out", "compare");

    /// <summary>Smaller search grids and fewer boosting rounds: a smoke run in well under a minute of training.</summary>
    public bool Quick { get; private init; }

    /// <summary>Only these contenders (by slug), or all when null.</summary>
    public IReadOnlySet<string>? Trainers { get; private init; }

    /// <summary>k-NN is cross-validated on at most this many training rows (CS231n uses a 5,000-row subset).</summary>
    public int CrossValidationRows { get; private init; } = 5_000;

    /// <summary>Train on at most this many rows (the first of each class, balanced); null for all.</summary>
    public int? TrainRows { get; private init; }

    /// <summary>The side images of an image folder are resized to; null keeps small images' own size.</summary>
    public int? ImageSize { get; private init; }

    /// <summary>The label column of a CSV file: its name or 0-based position; null to find it.</summary>
    public string? LabelColumn { get; private init; }

    /// <summary>Whether a CSV file's first row is a header; null to detect it.</summary>
    public bool? HasHeader { get; private init; }

    /// <summary>Whether <see cref="Data"/> names a CSV table rather than images.</summary>
    public bool IsTable => Data is not null && Data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether to print the usage text and stop.</summary>
    public bool Help { get; private init; }

    public static string Usage(IEnumerable<string> trainerSlugs) => $"""
        Compare: trains this package's CS231n classifiers and ML.NET's own on one split, tunes them as CS231n
        teaches, and writes a leaderboard, pictures and report.md.

        Usage: dotnet run -c Release --project samples/Compare -- [options]

          --data <source>       bundled (default): the 2,000/500 Fashion-MNIST subset in data/
                                fashion-mnist: the full set installed by `apt-get install dataset-fashion-mnist`
                                <folder>: IDX files (train-images-idx3-ubyte[.gz] …), CIFAR-10 binary batches
                                (data_batch_1.bin … test_batch.bin), or images in one sub-folder per class
                                (with train/ and test/ folders, or split 80/20 per class)
                                <file.csv>: a table of numeric features and a label column, e.g.
                                data/tabular/wine.csv; every trainer at its defaults after NormalizeMinMax
          --label <column>      the CSV's label column, by name or 0-based position
                                (default: a column named label, class, target or y, else the last)
          --header, --no-header whether the CSV's first row names the columns (default: detected)
          --output <folder>     where report.md, the PNGs and best-model.zip go (default: out/compare)
          --quick               small search grids and fewer boosting rounds, for a smoke run
          --trainers <list>     comma-separated subset of: {string.Join(", ", trainerSlugs)}
          --train-rows <n>      train on at most n rows, the first n/classes of each class (default: all)
          --cv-rows <n>         cross-validate k-NN on at most n training rows (default 5000)
          --image-size <n>      resize image-folder images to n×n (default: their own size up to 64, else 32)
          --help                show this text

        Exit codes: 0 success, 1 failure, 2 bad arguments or missing data, 130 cancelled (Ctrl+C).
        """;

    /// <summary>Parses the arguments; throws <see cref="UsageException"/> with the reason and fix when they are wrong.</summary>
    public static CommandLineOptions Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> trainerSlugs)
    {
        string? data = null;
        string output = Path.Combine("out", "compare");
        bool quick = false, help = false;
        HashSet<string>? trainers = null;
        int crossValidationRows = 5_000;
        int? imageSize = null, trainRows = null;
        string? label = null;
        bool? header = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--help" or "-h" or "-?":
                    help = true;
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--data":
                    data = Value(args, ref i);
                    if (data == "bundled")
                        data = null;
                    break;
                case "--label":
                    label = Value(args, ref i);
                    break;
                case "--header":
                    header = true;
                    break;
                case "--no-header":
                    header = false;
                    break;
                case "--output":
                    output = Value(args, ref i);
                    break;
                case "--trainers":
                    trainers = Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => s.ToLowerInvariant()).ToHashSet();
                    var unknown = trainers.Except(trainerSlugs).ToArray();
                    if (unknown.Length > 0 || trainers.Count == 0)
                        throw new UsageException($"Unknown trainer(s) '{string.Join(", ", unknown)}' in --trainers; choose from: {string.Join(", ", trainerSlugs)}.");
                    break;
                case "--cv-rows":
                    crossValidationRows = PositiveInteger(arg, Value(args, ref i), minimum: 10);
                    break;
                case "--train-rows":
                    trainRows = PositiveInteger(arg, Value(args, ref i), minimum: 10);
                    break;
                case "--image-size":
                    imageSize = PositiveInteger(arg, Value(args, ref i), minimum: 4);
                    break;
                default:
                    throw new UsageException($"Unknown argument '{arg}'. Run with --help for the options.");
            }
        }
        return new CommandLineOptions
        {
            Data = data, OutputFolder = output, Quick = quick, Help = help, Trainers = trainers, CrossValidationRows = crossValidationRows, TrainRows = trainRows, ImageSize = imageSize,
            LabelColumn = label, HasHeader = header,
        };
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new UsageException($"The option '{args[i]}' needs a value. Run with --help for the options.");
        return args[++i];
    }

    private static int PositiveInteger(string option, string text, int minimum)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < minimum)
            throw new UsageException($"The option '{option}' must be an integer of at least {minimum}; got '{text}'.");
        return value;
    }
}
