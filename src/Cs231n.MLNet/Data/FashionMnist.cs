namespace Cs231n.MLNet.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research, MIT licence): 28×28 grayscale images of clothing in 10 classes, 60,000 for
/// training and 10,000 for testing, in the IDX format of MNIST. Loads any folder holding the original file names
/// (the full set where the Debian package <c>dataset-fashion-mnist</c> installs it, <see cref="InstalledDirectory"/>,
/// or the repository's balanced subset in <c>data/fashion-mnist</c>), or any pair of IDX files.
/// </summary>
/// <remarks>Loaded data sets follow the <see cref="ImageDataset"/> conventions: <c>Label</c> holds the class name.</remarks>
public static class FashionMnist
{
    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the full data set.</summary>
    public const string InstalledDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Image height and width in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>The file name of the training images.</summary>
    public const string TrainImagesFileName = "train-images-idx3-ubyte.gz";

    /// <summary>The file name of the training labels.</summary>
    public const string TrainLabelsFileName = "train-labels-idx1-ubyte.gz";

    /// <summary>The file name of the test images.</summary>
    public const string TestImagesFileName = "t10k-images-idx3-ubyte.gz";

    /// <summary>The file name of the test labels.</summary>
    public const string TestLabelsFileName = "t10k-labels-idx1-ubyte.gz";

    /// <summary>The class names, indexed by label value (0 = T-shirt/top … 9 = Ankle boot).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// File-system-safe versions of <see cref="ClassNames"/> (<c>T-shirt_top</c>, <c>Ankle_boot</c>, …), the folder
    /// names of the bundled image folders; see <see cref="ToFolderName"/> and <see cref="FromFolderName"/>.
    /// </summary>
    public static IReadOnlyList<string> ClassFolderNames { get; } = ClassNames.Select(ToFolderName).ToArray();

    /// <summary>The folder name used for a class name: <c>/</c> and spaces become <c>_</c>.</summary>
    /// <param name="className">A class name such as <c>T-shirt/top</c>.</param>
    public static string ToFolderName(string className)
    {
        ArgumentNullException.ThrowIfNull(className);
        return className.Replace('/', '_').Replace(' ', '_');
    }

    /// <summary>The class name a bundled image folder stands for, e.g. <c>T-shirt_top</c> → <c>T-shirt/top</c>.</summary>
    /// <param name="folderName">One of <see cref="ClassFolderNames"/>.</param>
    /// <exception cref="ArgumentException">The name is not one of <see cref="ClassFolderNames"/>.</exception>
    public static string FromFolderName(string folderName)
    {
        ArgumentNullException.ThrowIfNull(folderName);
        for (int c = 0; c < ClassFolderNames.Count; c++)
        {
            if (ClassFolderNames[c] == folderName)
                return ClassNames[c];
        }
        throw new ArgumentException(
            $"'{folderName}' is not a Fashion-MNIST class folder; expected one of {string.Join(", ", ClassFolderNames)}.", nameof(folderName));
    }

    /// <summary>Loads a pair of IDX files (each plain or gzip-compressed) with the Fashion-MNIST class names.</summary>
    /// <param name="imagesPath">The IDX3 image file, e.g. <c>train-images-idx3-ubyte.gz</c>.</param>
    /// <param name="labelsPath">The IDX1 label file, e.g. <c>train-labels-idx1-ubyte.gz</c>.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, the counts differ, or a label is above 9.</exception>
    public static ImageDataset Load(string imagesPath, string labelsPath) =>
        IdxReader.ReadDataset(imagesPath, labelsPath, ClassNames);

    /// <summary>Loads the training split from a folder holding the original file names, gzipped or not.</summary>
    /// <param name="directory">The folder, e.g. <see cref="InstalledDirectory"/>.</param>
    public static ImageDataset LoadTrain(string directory) =>
        Load(FindFile(directory, TrainImagesFileName), FindFile(directory, TrainLabelsFileName));

    /// <summary>Loads the test split from a folder holding the original file names, gzipped or not.</summary>
    /// <param name="directory">The folder, e.g. <see cref="InstalledDirectory"/>.</param>
    public static ImageDataset LoadTest(string directory) =>
        Load(FindFile(directory, TestImagesFileName), FindFile(directory, TestLabelsFileName));

    /// <summary>Whether the full data set is installed at <see cref="InstalledDirectory"/> (all four files present).</summary>
    /// <param name="directory">The folder when found; otherwise empty.</param>
    public static bool TryFindInstalled(out string directory)
    {
        directory = HasAllFiles(InstalledDirectory) ? InstalledDirectory : string.Empty;
        return directory.Length > 0;
    }

    private static bool HasAllFiles(string directory) =>
        new[] { TrainImagesFileName, TrainLabelsFileName, TestImagesFileName, TestLabelsFileName }
            .All(name => TryFindFile(directory, name, out _));

    private static bool TryFindFile(string directory, string gzipName, out string path)
    {
        foreach (var name in new[] { gzipName, Path.GetFileNameWithoutExtension(gzipName) })
        {
            path = Path.Combine(directory, name);
            if (File.Exists(path))
                return true;
        }
        path = string.Empty;
        return false;
    }

    private static string FindFile(string directory, string gzipName)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"The Fashion-MNIST folder '{directory}' does not exist.");
        return TryFindFile(directory, gzipName, out var path)
            ? path
            : throw new FileNotFoundException(
                $"Neither '{gzipName}' nor '{Path.GetFileNameWithoutExtension(gzipName)}' is in '{directory}'. " +
                $"The full data set installs with: apt-get install dataset-fashion-mnist (into {InstalledDirectory}).",
                Path.Combine(directory, gzipName));
    }
}
