namespace Cs231n.MLNet.Data;

/// <summary>An image file that cannot be read, and why; reported by <see cref="ImageFolder.FindUnreadable(string)"/>.</summary>
public sealed class UnreadableImage
{
    /// <summary>Creates a report.</summary>
    /// <param name="path">The file's full path.</param>
    /// <param name="reason">What is wrong with it, e.g. where it is truncated.</param>
    public UnreadableImage(string path, string reason)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it, e.g. where it is truncated.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Path}: {Reason}";
}
