using Cs231n.MLNet.Data.InMemory;
using Microsoft.ML;

namespace Cs231n.MLNet.Data;

/// <summary>
/// Lists a folder of images laid out one sub-folder per class (<c>root/&lt;class&gt;/&lt;file&gt;</c>) as an
/// ML.NET <see cref="IDataView"/> of image paths and class names, ready for
/// <c>LoadImages → ResizeImages → ExtractPixels</c> from <c>Microsoft.ML.ImageAnalytics</c>.
/// </summary>
/// <remarks>
/// Order is deterministic: class folders in ordinal order of their names, then each folder's files in ordinal order
/// of their names. Only the direct children of a class folder with the extensions in <see cref="Extensions"/>
/// (any letter case) are listed; other files are ignored, as are folders whose names start with a dot.
/// </remarks>
public static class ImageFolder
{
    /// <summary>The name of the column holding each image's full path: <c>ImagePath</c>.</summary>
    public const string ImagePathColumnName = "ImagePath";

    /// <summary>The name of the column holding each image's class (its folder name): <c>Label</c>.</summary>
    public const string LabelColumnName = "Label";

    /// <summary>The file extensions listed, compared without regard to letter case.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp"];

    /// <summary>
    /// A view with a text <c>ImagePath</c> column (the full path) and a text <c>Label</c> column (the class folder name),
    /// one row per image in <see cref="List"/> order.
    /// </summary>
    /// <param name="mlContext">The ML.NET context the view will be used with.</param>
    /// <param name="root">The folder holding one sub-folder per class.</param>
    /// <param name="validateImages">
    /// When <see langword="true"/>, check every file's structure first (see <see cref="FindUnreadable(string)"/>) and
    /// throw naming the unreadable ones, instead of failing later inside <c>LoadImages</c>.
    /// </param>
    /// <param name="folderToLabel">
    /// Turns a class folder name into the <c>Label</c> value, e.g. <see cref="FashionMnist.FromFolderName"/> to get
    /// <c>T-shirt/top</c> from <c>T-shirt_top</c>; by default the folder name itself.
    /// </param>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder has no class folders or no images, a class folder is empty, or (with validation) a file is unreadable.</exception>
    public static IDataView Load(MLContext mlContext, string root, bool validateImages = false, Func<string, string>? folderToLabel = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var entries = List(root, folderToLabel);
        if (validateImages)
        {
            var unreadable = FindUnreadable(entries.Select(entry => entry.Path));
            if (unreadable.Count > 0)
            {
                const int shown = 10;
                throw new InvalidDataException(
                    $"{unreadable.Count} of the {entries.Count} images under '{root}' cannot be read; fix or remove them:" + Environment.NewLine +
                    string.Join(Environment.NewLine, unreadable.Take(shown).Select(u => $"  {u}")) +
                    (unreadable.Count > shown ? $"{Environment.NewLine}  … and {unreadable.Count - shown} more" : ""));
            }
        }
        var classNames = entries.Select(entry => entry.Label).Distinct(StringComparer.Ordinal).ToArray();
        var classIndex = classNames.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        return new InMemoryDataView(
            entries.Count,
            new TextColumn(ImagePathColumnName, entries.Select(entry => entry.Path).ToArray()),
            new IndexedTextColumn(LabelColumnName, classNames, entries.Select(entry => classIndex[entry.Label]).ToArray()));
    }

    /// <summary>Every image under <paramref name="root"/> with its class, in the documented deterministic order.</summary>
    /// <param name="root">The folder holding one sub-folder per class.</param>
    /// <param name="folderToLabel">Turns a class folder name into the label; by default the folder name itself.</param>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder has no class folders or no images, or a class folder holds no images.</exception>
    public static IReadOnlyList<ImageFolderEntry> List(string root, Func<string, string>? folderToLabel = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"The image folder '{full}' does not exist.");

        var looseImages = Directory.EnumerateFiles(full).Where(IsImage).Take(3).Select(Path.GetFileName).ToArray();
        if (looseImages.Length > 0)
            throw new InvalidDataException(
                $"'{full}' holds images directly ({string.Join(", ", looseImages)}…), which belong to no class; move each into a sub-folder named after its class.");

        var classFolders = Directory.EnumerateDirectories(full)
            .Where(folder => !Path.GetFileName(folder).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (classFolders.Length == 0)
            throw new InvalidDataException(
                $"'{full}' has no sub-folders; expected one folder per class, e.g. '{Path.Combine(full, "cat", "0001.png")}'.");

        var entries = new List<ImageFolderEntry>();
        foreach (var folder in classFolders)
        {
            var folderName = Path.GetFileName(folder);
            var label = folderToLabel is null ? folderName : folderToLabel(folderName);
            if (string.IsNullOrEmpty(label))
                throw new InvalidDataException($"The 'folderToLabel' function turned class folder '{folder}' into an empty label.");
            int before = entries.Count;
            foreach (var file in Directory.EnumerateFiles(folder).Where(IsImage).Order(StringComparer.Ordinal))
                entries.Add(new ImageFolderEntry(file, label));
            if (entries.Count == before)
                throw new InvalidDataException(
                    $"Class folder '{folder}' holds no {string.Join("/", Extensions)} files; remove it or add its images (an empty class would silently change the class count).");
        }
        return entries;
    }

    /// <summary>
    /// The images under <paramref name="root"/> that cannot be read, with the reason for each (empty if none).
    /// Checks each file's structure without decoding pixels: PNG chunks and their CRCs through <c>IEND</c>; JPEG
    /// markers through the end-of-image marker; BMP headers and pixel-row extent; and that the content really is
    /// one of those formats, whatever the extension says.
    /// </summary>
    /// <param name="root">The folder holding one sub-folder per class.</param>
    public static IReadOnlyList<UnreadableImage> FindUnreadable(string root) =>
        FindUnreadable(List(root).Select(entry => entry.Path));

    /// <summary>The given image files that cannot be read, with the reason for each; see <see cref="FindUnreadable(string)"/>.</summary>
    /// <param name="paths">The image files to check.</param>
    public static IReadOnlyList<UnreadableImage> FindUnreadable(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var unreadable = new List<UnreadableImage>();
        foreach (var path in paths)
        {
            if (ImageFileCheck.FindProblem(path) is { } problem)
                unreadable.Add(new UnreadableImage(path, problem));
        }
        return unreadable;
    }

    private static bool IsImage(string path) =>
        Extensions.Any(extension => path.EndsWith(extension, StringComparison.OrdinalIgnoreCase));
}
