using System.Diagnostics;
using Cs231n.MLNet.Neighbors;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>Full Fashion-MNIST neighbour search (10,000 queries × 60,000 rows) with majority-vote accuracy.</summary>
internal static class KnnRun
{
    public static void TimeSearch(FashionMnist data, KnnDistance distance, int k, int repetitions, int queryCount = 0)
    {
        if (queryCount <= 0 || queryCount > data.TestCount)
            queryCount = data.TestCount;
        var indices = new int[queryCount * k];
        var distances = new float[queryCount * k];
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = new List<double>();
        var times = new List<double>();
        long fallbacks = 0;
        for (int r = 0; r < repetitions; r++)
        {
            TimeSpan cpuStart = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var index = new NeighborIndex(data.TrainImages, data.TrainCount, FashionMnist.Dimension, distance);
            index.Search(data.TestImages, queryCount, k, indices, distances);
            times.Add(watch.Elapsed.TotalSeconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuStart).TotalSeconds);
            fallbacks = index.ExactFallbacks;
        }
        Console.WriteLine($"kNN {distance} k={k} Fashion-MNIST {queryCount}x{data.TrainCount}: best {times.Min():F2} s, runs [{string.Join(", ", times.Select(t => t.ToString("F2")))}] s (CPU [{string.Join(", ", cpu.Select(t => t.ToString("F2")))}] s), accuracy {Accuracy(data, indices, k, queryCount):F4}, queries settled by exact scan: {fallbacks}");
    }

    /// <summary>Latency of one-query searches (batch-1 prediction) against the full training set.</summary>
    public static void TimeSingleQueries(FashionMnist data, KnnDistance distance, int k, int queries)
    {
        var index = new NeighborIndex(data.TrainImages, data.TrainCount, FashionMnist.Dimension, distance);
        var indices = new int[k];
        var distances = new float[k];
        index.Search(data.TestImages.AsSpan(0, FashionMnist.Dimension), 1, k, indices, distances);
        var watch = Stopwatch.StartNew();
        for (int q = 0; q < queries; q++)
            index.Search(data.TestImages.AsSpan(q * FashionMnist.Dimension, FashionMnist.Dimension), 1, k, indices, distances);
        Console.WriteLine($"kNN {distance} k={k} single-query latency over 60,000 rows: {watch.Elapsed.TotalMilliseconds / queries:F2} ms (mean of {queries})");
    }

    /// <summary>Majority vote among the k neighbours; a tied vote goes to the smallest label, as scikit-learn does.</summary>
    public static double Accuracy(FashionMnist data, int[] indices, int k, int queryCount)
    {
        int correct = 0;
        Span<int> votes = stackalloc int[10];
        for (int q = 0; q < queryCount; q++)
        {
            votes.Clear();
            for (int j = 0; j < k; j++)
                votes[data.TrainLabels[indices[q * k + j]]]++;
            int best = 0;
            for (int label = 1; label < 10; label++)
            {
                if (votes[label] > votes[best])
                    best = label;
            }
            if (best == data.TestLabels[q])
                correct++;
        }
        return (double)correct / queryCount;
    }
}
