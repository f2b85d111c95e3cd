using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Cs231n.MLNet.Neighbors;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// Building the index and searching all 10,000 Fashion-MNIST test images among the 60,000 training images, k = 5.
/// Prints the majority-vote accuracy once per configuration so speed is never bought with wrong answers.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, warmupCount: 1, iterationCount: 5)]
public class KnnBenchmarks
{
    private FashionMnist _data = null!;
    private int[] _indices = [];
    private float[] _distances = [];

    [Params(KnnDistance.L2, KnnDistance.L1)]
    public KnnDistance Distance { get; set; }

    public const int K = 5;

    [GlobalSetup]
    public void Setup()
    {
        _data = FashionMnist.TryLoad()
            ?? throw new InvalidOperationException($"Fashion-MNIST not found in {FashionMnist.Directory}; install with: apt-get install dataset-fashion-mnist");
        _indices = new int[_data.TestCount * K];
        _distances = new float[_data.TestCount * K];
    }

    [Benchmark]
    public void Search()
    {
        var index = new NeighborIndex(_data.TrainImages, _data.TrainCount, FashionMnist.Dimension, Distance);
        index.Search(_data.TestImages, _data.TestCount, K, _indices, _distances);
    }

    [GlobalCleanup]
    public void ReportAccuracy()
        => Console.WriteLine($"// kNN {Distance} k={K} accuracy: {KnnRun.Accuracy(_data, _indices, K, _data.TestCount):F4}");
}
