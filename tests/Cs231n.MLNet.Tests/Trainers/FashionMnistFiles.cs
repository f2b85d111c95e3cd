using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.Trainers;

/// <summary>Fashion-MNIST as an IDataView with pixels/255 features (784) and a numeric class label 0–9.</summary>
internal static class FashionMnistFiles
{
    public const string InstalledDirectory = "/usr/share/datasets/fashion-mnist";

    public sealed class Row
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];

        public uint Label { get; set; }
    }

    /// <summary>The bundled subset (2,000 train / 500 test) copied beside the tests.</summary>
    public static (IDataView Train, IDataView Test) Bundled(MLContext mlContext)
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "data", "fashion-mnist");
        if (!File.Exists(Path.Combine(directory, "train-images-idx3-ubyte.gz")))
            Assert.Inconclusive($"The bundled Fashion-MNIST subset is missing from {directory}; it lives in the repository's data/fashion-mnist folder.");
        return Load(mlContext, directory);
    }

    /// <summary>The full data set (60,000 train / 10,000 test) from the Debian package.</summary>
    public static (IDataView Train, IDataView Test) Full(MLContext mlContext)
    {
        if (!File.Exists(Path.Combine(InstalledDirectory, "train-images-idx3-ubyte.gz")))
            Assert.Inconclusive($"Full Fashion-MNIST is not installed in {InstalledDirectory}; install with: apt-get install dataset-fashion-mnist");
        return Load(mlContext, InstalledDirectory);
    }

    private static (IDataView, IDataView) Load(MLContext mlContext, string directory)
        => (mlContext.Data.LoadFromEnumerable(Read(directory, "train")), mlContext.Data.LoadFromEnumerable(Read(directory, "t10k")));

    private static List<Row> Read(string directory, string prefix)
    {
        byte[] images = Unzip(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"));
        byte[] labels = Unzip(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"));
        int count = labels.Length - 8;
        Assert.AreEqual(16 + count * 784, images.Length, "IDX image file size");
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            var features = new float[784];
            for (int j = 0; j < 784; j++)
                features[j] = images[16 + i * 784 + j] / 255f;
            rows.Add(new Row { Features = features, Label = labels[8 + i] });
        }
        return rows;
    }

    private static byte[] Unzip(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
