using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Tests.Engine;

/// <summary>Small generated classification problems for engine tests.</summary>
internal static class EngineData
{
    /// <summary>Gaussian blobs: class k is centred on a random point of the unit cube, with noise of <paramref name="spread"/>.</summary>
    public static LabeledDataset<float> Blobs(int count, int features, int classes, double spread, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, classes * features).Select(_ => random.NextDouble()).ToArray();
        var x = new float[count * features];
        var y = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % classes;
            y[i] = label;
            for (int j = 0; j < features; j++)
                x[i * features + j] = (float)(centres[label * features + j] + spread * Gaussian(random));
        }
        return new LabeledDataset<float>(x, y, features);
    }

    /// <summary>
    /// Disjoint training and held-out rows drawn from the same blobs (the same centres): the first
    /// <paramref name="trainCount"/> rows train, the next <paramref name="heldOutCount"/> test.
    /// </summary>
    public static (LabeledDataset<float> Train, LabeledDataset<float> HeldOut) BlobsSplit(int trainCount, int heldOutCount, int features, int classes, double spread, int seed)
    {
        var all = Blobs(trainCount + heldOutCount, features, classes, spread, seed);
        LabeledDataset<float> Rows(int start, int count) => new(
            all.Features.AsSpan(start * features, count * features).ToArray(), all.Labels.AsSpan(start, count).ToArray(), features);
        return (Rows(0, trainCount), Rows(trainCount, heldOutCount));
    }

    /// <summary>Uniform noise features with random labels: learnable only by memorising.</summary>
    public static LabeledDataset<float> Noise(int count, int features, int classes, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, count * features).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, count).Select(_ => random.Next(classes)).ToArray();
        return new LabeledDataset<float>(x, y, features);
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
