namespace Cs231n.MLNet.Data;

/// <summary>One image file found by <see cref="ImageFolder.List"/>: its full path and its class (the folder name).</summary>
public sealed class ImageFolderEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="path">The image file's full path.</param>
    /// <param name="label">The class name: the name of the folder holding the file, or what the caller's folder-to-label function made of it.</param>
    public ImageFolderEntry(string path, string label)
    {
        Path = path;
        Label = label;
    }

    /// <summary>The image file's full path.</summary>
    public string Path { get; }

    /// <summary>The class name: the name of the folder holding the file, or what the caller's folder-to-label function made of it.</summary>
    public string Label { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Label}: {Path}";
}
