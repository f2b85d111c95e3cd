namespace ImageClassification;

/// <summary>Finds the image folder: the one given, or the repository's <c>data/images</c>.</summary>
internal static class ImageRoot
{
    private static readonly string BundledRelativePath = Path.Combine("data", "images");

    /// <summary>
    /// The given folder, or the repository's <c>data/images</c> found by walking up from the working directory and
    /// from the sample's own folder, so the sample runs from the repository root or from its own folder.
    /// </summary>
    public static string Resolve(string? given)
    {
        string root = given is not null ? Path.GetFullPath(given) : FindBundled()
            ?? throw new DirectoryNotFoundException(
                $"Could not find the repository's '{BundledRelativePath}' above '{Environment.CurrentDirectory}' or '{AppContext.BaseDirectory}'; pass --images <folder>.");
        foreach (string part in new[] { "train", "test" })
        {
            if (!Directory.Exists(Path.Combine(root, part)))
                throw new DirectoryNotFoundException($"'{root}' has no '{part}' folder; --images needs a folder with train/<class>/ and test/<class>/ image folders.");
        }
        return root;
    }

    private static string? FindBundled()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, BundledRelativePath);
                if (Directory.Exists(Path.Combine(candidate, "train")))
                    return candidate;
            }
        }
        return null;
    }
}
