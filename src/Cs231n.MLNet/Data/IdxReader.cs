using System.Buffers.Binary;
using System.IO.Compression;

namespace Cs231n.MLNet.Data;

/// <summary>
/// Reads IDX files of unsigned bytes — the format of MNIST and Fashion-MNIST — plain or gzip-compressed (told
/// apart by the gzip magic bytes <c>1F 8B</c>, not by the file name).
/// </summary>
/// <remarks>
/// Every check names the file and the byte offset where it failed (for a gzip file: the offset in the decompressed
/// data). Memory is never allocated beyond what the file can justify: a plain file's length bounds the data
/// outright, and a gzip file cannot inflate to more than 1,032 times its size (the DEFLATE limit).
/// </remarks>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    // DEFLATE emits at least one bit per 258-byte match, so one compressed byte expands to at most 1,032 bytes.
    private const long MaxDeflateRatio = 1032;

    /// <summary>Reads an IDX file of any shape.</summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX file of unsigned bytes.</exception>
    public static IdxArray Read(string path) => Read(path, expectedDimensions: null, expectedKind: null);

    /// <summary>Reads an IDX3 image file: count × rows × columns bytes.</summary>
    /// <param name="path">The file, plain or gzip-compressed (for example <c>train-images-idx3-ubyte.gz</c>).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed 3-dimensional IDX file of unsigned bytes.</exception>
    public static IdxArray ReadImages(string path) => Read(path, expectedDimensions: 3, expectedKind: "an IDX3 image file (count × rows × columns)");

    /// <summary>Reads an IDX1 label file: one byte per item.</summary>
    /// <param name="path">The file, plain or gzip-compressed (for example <c>train-labels-idx1-ubyte.gz</c>).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed 1-dimensional IDX file of unsigned bytes.</exception>
    public static byte[] ReadLabels(string path) => Read(path, expectedDimensions: 1, expectedKind: "an IDX1 label file (one byte per item)").Data;

    /// <summary>
    /// Reads a pair of IDX files — images (IDX3) and their labels (IDX1) — into an <see cref="ImageDataset"/> of
    /// grayscale images, checking that the counts agree and that every label names one of <paramref name="classNames"/>.
    /// </summary>
    /// <param name="imagesPath">The IDX3 image file, plain or gzip-compressed.</param>
    /// <param name="labelsPath">The IDX1 label file, plain or gzip-compressed.</param>
    /// <param name="classNames">The class names, indexed by label value.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, the counts differ, or a label is out of range.</exception>
    public static ImageDataset ReadDataset(string imagesPath, string labelsPath, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var images = ReadImages(imagesPath);
        var labelBytes = ReadLabels(labelsPath);
        if (images.Dimensions[0] != labelBytes.Length)
            throw new InvalidDataException(
                $"'{imagesPath}' holds {images.Dimensions[0]} images but '{labelsPath}' holds {labelBytes.Length} labels; the two files must come from the same split.");
        var labels = new int[labelBytes.Length];
        for (int i = 0; i < labelBytes.Length; i++)
        {
            if (labelBytes[i] >= classNames.Count)
                throw new InvalidDataException(
                    $"'{labelsPath}' has label {labelBytes[i]} for item {i} (at data offset {8 + i}), but there are only {classNames.Count} classes (labels 0–{classNames.Count - 1}).");
            labels[i] = labelBytes[i];
        }
        return new ImageDataset(images.Data, labels, images.Dimensions[1], images.Dimensions[2], channels: 1, classNames);
    }

    /// <summary>Whether the file starts with the gzip magic bytes <c>1F 8B</c>.</summary>
    /// <param name="path">The file to look at.</param>
    public static bool IsGzip(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        return file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    private static IdxArray Read(string path, int? expectedDimensions, string? expectedKind)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);

        bool gzip = IsGzip(path);
        long fileLength = new FileInfo(path).Length;
        string where = gzip ? "decompressed offset" : "offset";
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            Span<byte> magic = stackalloc byte[4];
            ReadHeaderBytes(stream, magic, path, where, 0, "the 4-byte magic number");
            if (magic[0] != 0 || magic[1] != 0)
                throw new InvalidDataException(
                    $"'{path}' is not an IDX file: its magic number (at {where} 0) is {Hex(magic)}, but an IDX magic number starts with 00 00.");
            if (magic[2] != UnsignedByteType)
                throw new InvalidDataException(
                    $"'{path}' holds IDX type code 0x{magic[2]:X2} (at {where} 2); only unsigned bytes (0x08), the MNIST type, are supported.");
            int rank = magic[3];
            if (rank == 0)
                throw new InvalidDataException($"'{path}' declares 0 dimensions (at {where} 3); an IDX file has at least one.");
            if (expectedDimensions is int expected && rank != expected)
                throw new InvalidDataException(
                    $"'{path}' has {rank} dimension(s) (at {where} 3), but {expectedKind} has {expected}. " +
                    (rank == 1 ? "Is it a label file given where an image file belongs? " : rank == 3 ? "Is it an image file given where a label file belongs? " : "") +
                    "Check which file is passed where.");

            var dimensionBytes = new byte[rank * 4];
            ReadHeaderBytes(stream, dimensionBytes, path, where, 4, $"the {rank} dimension sizes");
            var dimensions = new int[rank];
            long total = 1;
            for (int d = 0; d < rank; d++)
            {
                dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.AsSpan(d * 4, 4));
                if (dimensions[d] < 0)
                    throw new InvalidDataException($"'{path}' declares dimension {d} as {dimensions[d]} (at {where} {4 + d * 4}); sizes cannot be negative.");
                total *= dimensions[d];
                if (total > Array.MaxLength)
                    throw new InvalidDataException(
                        $"'{path}' declares a shape [{string.Join(", ", dimensions.Take(d + 1))}, …] (at {where} 4) of more values than one array holds; the header is corrupt.");
            }

            long dataOffset = 4 + rank * 4L;
            long bound = gzip ? fileLength * MaxDeflateRatio : fileLength - dataOffset;
            if (total > bound)
            {
                throw new InvalidDataException(gzip
                    ? $"'{path}' declares shape [{string.Join(", ", dimensions)}] = {total} bytes of data (at {where} 4), more than a {fileLength}-byte gzip file can hold; the header is corrupt."
                    : $"'{path}' is truncated: its header declares shape [{string.Join(", ", dimensions)}] = {total} bytes of data starting at offset {dataOffset}, but the file ends at offset {fileLength}.");
            }

            var data = new byte[total];
            int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            if (read < data.Length)
                throw new InvalidDataException(
                    $"'{path}' is truncated: its header declares shape [{string.Join(", ", dimensions)}] = {total} bytes of data starting at {where} {dataOffset}, but the data ends at {where} {dataOffset + read}.");
            if (stream.ReadByte() >= 0)
                throw new InvalidDataException(
                    $"'{path}' has bytes after its data, from {where} {dataOffset + total}; the header's shape [{string.Join(", ", dimensions)}] does not describe the file.");
            return new IdxArray(dimensions, data);
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}' is not a valid gzip stream: {e.Message}", e);
        }
    }

    private static void ReadHeaderBytes(Stream stream, Span<byte> buffer, string path, string where, long offset, string what)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
            throw new InvalidDataException(
                $"'{path}' is truncated: it ends at {where} {offset + read}, inside {what} (bytes {offset}–{offset + buffer.Length - 1}).");
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
