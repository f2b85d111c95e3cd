namespace Cs231n.MLNet.Tests.Data;

/// <summary>Builds CIFAR-10 binary batch files byte by byte: per record, a label byte then R, G and B planes of 32×32.</summary>
internal static class CifarBytes
{
    public const int PixelsPerImage = 3 * 32 * 32;

    /// <summary>A distinct, position-dependent image for every (batch, index) pair.</summary>
    public static byte[] Pattern(int batch, int index)
    {
        var pixels = new byte[PixelsPerImage];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(i * 31 + index * 17 + batch * 101);
        return pixels;
    }

    public static byte[] Batch(IReadOnlyList<(byte Label, byte[] Pixels)> records)
    {
        var bytes = new List<byte>();
        foreach (var (label, pixels) in records)
        {
            bytes.Add(label);
            bytes.AddRange(pixels);
        }
        return bytes.ToArray();
    }

    public static void WriteFolder(string folder, int batches, int recordsPerBatch, bool withTestBatch)
    {
        for (int b = 1; b <= batches; b++)
            File.WriteAllBytes(Path.Combine(folder, $"data_batch_{b}.bin"), Batch(Records(b, recordsPerBatch)));
        if (withTestBatch)
            File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), Batch(Records(0, recordsPerBatch)));
    }

    public static List<(byte Label, byte[] Pixels)> Records(int batch, int count) =>
        Enumerable.Range(0, count).Select(i => ((byte)((i + batch) % 10), Pattern(batch, i))).ToList();
}
