using System.IO.Compression;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>The full Fashion-MNIST set as raw pixel values 0–255 in float rows of 784, read from the IDX gz files.</summary>
internal sealed class FashionMnist
{
    public const string Directory = "/usr/share/datasets/fashion-mnist";
    public const int Dimension = 28 * 28;

    private FashionMnist(float[] trainImages, byte[] trainLabels, float[] testImages, byte[] testLabels)
    {
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
    }

    public float[] TrainImages { get; }
    public byte[] TrainLabels { get; }
    public float[] TestImages { get; }
    public byte[] TestLabels { get; }
    public int TrainCount => TrainLabels.Length;
    public int TestCount => TestLabels.Length;

    public static FashionMnist? TryLoad()
    {
        string Path(string name) => System.IO.Path.Combine(Directory, name);
        if (!File.Exists(Path("train-images-idx3-ubyte.gz")))
            return null;
        return new FashionMnist(
            ReadImages(Path("train-images-idx3-ubyte.gz")), ReadLabels(Path("train-labels-idx1-ubyte.gz")),
            ReadImages(Path("t10k-images-idx3-ubyte.gz")), ReadLabels(Path("t10k-labels-idx1-ubyte.gz")));
    }

    private static float[] ReadImages(string path)
    {
        byte[] bytes = Decompress(path);
        int count = ReadBigEndian(bytes, 4), rows = ReadBigEndian(bytes, 8), columns = ReadBigEndian(bytes, 12);
        if (ReadBigEndian(bytes, 0) != 0x803 || rows * columns != Dimension)
            throw new InvalidDataException($"{path} is not an IDX image file of 28×28 images.");
        var images = new float[count * Dimension];
        for (int i = 0; i < images.Length; i++)
            images[i] = bytes[16 + i];
        return images;
    }

    private static byte[] ReadLabels(string path)
    {
        byte[] bytes = Decompress(path);
        if (ReadBigEndian(bytes, 0) != 0x801)
            throw new InvalidDataException($"{path} is not an IDX label file.");
        return bytes.AsSpan(8, ReadBigEndian(bytes, 4)).ToArray();
    }

    private static byte[] Decompress(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    private static int ReadBigEndian(byte[] bytes, int offset)
        => bytes[offset] << 24 | bytes[offset + 1] << 16 | bytes[offset + 2] << 8 | bytes[offset + 3];
}
