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
        Console.WriteLine($"kNN {distance} k={k} Fashion-MNIST {queryCount}x{data.TrainCount}: first call {times[0]:F2} s, warm best {times.Skip(1).DefaultIfEmpty(times[0]).Min():F2} s, runs [{string.Join(", ", times.Select(t => t.ToString("F2")))}] s (CPU [{string.Join(", ", cpu.Select(t => t.ToString("F2")))}] s), accuracy {Accuracy(data, indices, k, queryCount):F4}, queries settled by exact scan: {fallbacks}");
    }

    /// <summary>The same search on the 8-bit path: the training matrix stored as bytes, exact integer distances.</summary>
    public static void TimeByteSearch(FashionMnist data, KnnDistance distance, int k, int repetitions)
    {
        int queryCount = data.TestCount;
        var indices = new int[queryCount * k];
        var distances = new float[queryCount * k];
        var floatIndices = new int[queryCount * k];
        var floatDistances = new float[queryCount * k];
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = new List<double>();
        var times = new List<double>();
        long fallbacks = 0;
        double stopped = 0;
        for (int r = 0; r < repetitions; r++)
        {
            TimeSpan cpuStart = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var index = KnnStorage.TryQuantize(data.TrainImages, data.TrainCount, FashionMnist.Dimension, distance)
                ?? throw new InvalidOperationException("Fashion-MNIST should be on the 8-bit grid.");
            index.Search(data.TestImages, queryCount, k, indices, distances);
            times.Add(watch.Elapsed.TotalSeconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuStart).TotalSeconds);
            fallbacks = index.ExactFallbacks;
            stopped = index.StoppedTileShare;
        }
        // The float search gives the reference answer; the 8-bit path must match it exactly.
        new NeighborIndex(data.TrainImages, data.TrainCount, FashionMnist.Dimension, distance).Search(data.TestImages, queryCount, k, floatIndices, floatDistances);
        int differing = Enumerable.Range(0, indices.Length).Count(i => indices[i] != floatIndices[i] || distances[i] != floatDistances[i]);
        Console.WriteLine($"kNN {distance} k={k} 8-bit path Fashion-MNIST {queryCount}x{data.TrainCount} (includes building the byte index): first call {times[0]:F2} s, warm best {times.Skip(1).DefaultIfEmpty(times[0]).Min():F2} s, runs [{string.Join(", ", times.Select(t => t.ToString("F2")))}] s (CPU [{string.Join(", ", cpu.Select(t => t.ToString("F2")))}] s), accuracy {Accuracy(data, indices, k, queryCount):F4}, queries settled by exact scan: {fallbacks}, tiles stopped early: {stopped:P0}; neighbours or distances differing from the float search: {differing}");
    }

    /// <summary>Latency of one-query searches (batch-1 prediction) against the full training set.</summary>
    public static void TimeSingleQueries(FashionMnist data, KnnDistance distance, int k, int queries)
    {
        var index = new NeighborIndex(data.TrainImages, data.TrainCount, FashionMnist.Dimension, distance);
        var indices = new int[k];
        var distances = new float[k];
        var watch = Stopwatch.StartNew();
        index.Search(data.TestImages.AsSpan(0, FashionMnist.Dimension), 1, k, indices, distances);
        double first = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        for (int q = 0; q < queries; q++)
            index.Search(data.TestImages.AsSpan(q * FashionMnist.Dimension, FashionMnist.Dimension), 1, k, indices, distances);
        Console.WriteLine($"kNN {distance} k={k} single-query latency over 60,000 rows: first call {first:F2} ms, warm {watch.Elapsed.TotalMilliseconds / queries:F2} ms (mean of {queries})");
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
