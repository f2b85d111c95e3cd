using System.IO.Compression;

namespace Cs231n.MLNet.Tests.Data;

/// <summary>
/// Builds IDX files byte by byte, independently of the library's writer, so reader tests check the format itself.
/// </summary>
internal static class IdxBytes
{
    public static byte[] Build(byte typeCode, int[] dimensions, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, typeCode, (byte)dimensions.Length };
        foreach (int d in dimensions)
            bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    public static byte[] Images(int count, int rows, int columns, byte[] pixels) => Build(0x08, [count, rows, columns], pixels);

    public static byte[] Labels(byte[] labels) => Build(0x08, [labels.Length], labels);

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(bytes);
        return output.ToArray();
    }

    /// <summary>Pixels whose value encodes image, row and column, so misplaced bytes are caught.</summary>
    public static byte[] PatternPixels(int count, int rows, int columns)
    {
        var pixels = new byte[count * rows * columns];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(i * 7 + i / (rows * columns) * 13);
        return pixels;
    }
}
