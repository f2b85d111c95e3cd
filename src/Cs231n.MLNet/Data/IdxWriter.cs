using System.Buffers.Binary;
using System.IO.Compression;

namespace Cs231n.MLNet.Data;

/// <summary>Writes IDX files of unsigned bytes, the format <see cref="IdxReader"/> reads.</summary>
public static class IdxWriter
{
    /// <summary>
    /// Writes <paramref name="array"/> to <paramref name="path"/>, gzip-compressed when the name ends in <c>.gz</c>
    /// (as the original MNIST files are), plain otherwise. An existing file is replaced.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="array">The shape and values.</param>
    public static void Write(string path, IdxArray array)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(array);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionLevel.SmallestSize)
            : file;
        var header = new byte[4 + 4 * array.Dimensions.Count];
        header[2] = 0x08;
        header[3] = (byte)array.Dimensions.Count;
        for (int d = 0; d < array.Dimensions.Count; d++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d, 4), array.Dimensions[d]);
        stream.Write(header);
        stream.Write(array.Data);
    }

    /// <summary>Writes images as an IDX3 file: count × rows × columns.</summary>
    /// <param name="path">The file to write; gzip-compressed when the name ends in <c>.gz</c>.</param>
    /// <param name="pixels">All images back to back, <paramref name="rows"/> × <paramref name="columns"/> bytes each.</param>
    /// <param name="rows">Image height.</param>
    /// <param name="columns">Image width.</param>
    public static void WriteImages(string path, byte[] pixels, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (rows <= 0 || columns <= 0)
            throw new ArgumentOutOfRangeException(nameof(rows), $"Images need a positive size; got rows = {rows}, columns = {columns}.");
        if (pixels.Length % (rows * columns) != 0)
            throw new ArgumentException($"The 'pixels' array has {pixels.Length} bytes, not a whole number of {rows}×{columns} images.", nameof(pixels));
        Write(path, new IdxArray([pixels.Length / (rows * columns), rows, columns], pixels));
    }

    /// <summary>Writes labels as an IDX1 file: one byte per item.</summary>
    /// <param name="path">The file to write; gzip-compressed when the name ends in <c>.gz</c>.</param>
    /// <param name="labels">The labels.</param>
    public static void WriteLabels(string path, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Write(path, new IdxArray([labels.Length], labels));
    }
}
