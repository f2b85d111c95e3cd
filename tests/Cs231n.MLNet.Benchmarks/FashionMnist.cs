namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// The full Fashion-MNIST set as raw pixel values 0–255 in float rows of 784, read with the package's own loader
/// (Debian's dataset-fashion-mnist).
/// </summary>
internal sealed class FashionMnist
{
    public const int Dimension = 28 * 28;

    private FashionMnist(Data.ImageDataset train, Data.ImageDataset test)
    {
        TrainImages = ToFloats(train.Pixels);
        TrainLabels = train.Labels;
        TestImages = ToFloats(test.Pixels);
        TestLabels = test.Labels;
    }

    /// <summary>Where the Debian package installs the files.</summary>
    public static string Directory => Data.FashionMnist.TryFindInstalled(out string directory) ? directory : "/usr/share/datasets/fashion-mnist";

    public float[] TrainImages { get; }
    public int[] TrainLabels { get; }
    public float[] TestImages { get; }
    public int[] TestLabels { get; }
    public int TrainCount => TrainLabels.Length;
    public int TestCount => TestLabels.Length;

    public static FashionMnist? TryLoad()
        => Data.FashionMnist.TryFindInstalled(out string directory)
            ? new FashionMnist(Data.FashionMnist.LoadTrain(directory), Data.FashionMnist.LoadTest(directory))
            : null;

    private static float[] ToFloats(byte[] pixels)
    {
        var values = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
            values[i] = pixels[i];
        return values;
    }
}
