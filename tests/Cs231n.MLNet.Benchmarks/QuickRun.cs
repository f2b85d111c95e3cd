using System.Diagnostics;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// The `--quick` mode: a few timed repetitions per shape, printing GFLOP/s for GEMM and seconds plus accuracy for
/// the full Fashion-MNIST neighbour search, in a minute or two instead of BenchmarkDotNet's long statistics.
/// </summary>
internal static class QuickRun
{
    public static void Run(string[] args)
    {
        if (args.Contains("--mlp"))
        {
            MlpThroughputRun.Time(epochs: 3);
            return;
        }
        if (args.Contains("--linear"))
        {
            LinearFitRun.Time(repetitions: 3);
            return;
        }
        bool skipKnn = args.Contains("--gemm-only"), skipGemm = args.Contains("--knn-only");
        bool skipHuge = args.Contains("--no-huge");
        int threadsAt = Array.IndexOf(args, "--threads");
        if (threadsAt >= 0)
            NumericsSettings.MaxDegreeOfParallelism = int.Parse(args[threadsAt + 1]);
        if (args.Contains("--cnn-profile"))
        {
            CnnLayerProfile.Run("default network", ConvolutionalNetworks.ConvNetArchitecture.DefaultLayers());
            CnnLayerProfile.Run("2-conv network", CnnRun.TwoConvLayers());
            return;
        }
        if (args.Contains("--cnn"))
        {
            CnnRun.Run(args);
            return;
        }
        int kernelAt = Array.IndexOf(args, "--kernel");
        if (kernelAt >= 0)
            NumericsSettings.ForcedKernel = Enum.Parse<GemmKernel>(args[kernelAt + 1], ignoreCase: true);
        int shapeAt = Array.IndexOf(args, "--shape");
        int queriesAt = Array.IndexOf(args, "--queries");
        int repsAt = Array.IndexOf(args, "--reps");
        Console.WriteLine($"Kernel: {NumericsSettings.Kernel}, threads: {NumericsSettings.MaxDegreeOfParallelism}");
        if (!skipGemm)
        {
            int customAt = Array.IndexOf(args, "--mnk");
            GemmShape[] shapes = customAt < 0 ? GemmShapes.All
                : args[customAt + 1].Split(';').Select(t => t.Split(',').Select(int.Parse).ToArray())
                    .Select(d => new GemmShape($"{d[0]}x{d[2]}x{d[1]}", d[0], d[1], d[2])).ToArray();
            foreach (var shape in shapes)
            {
                if ((skipHuge && shape.IsHuge) || (shapeAt >= 0 && shape.Name != args[shapeAt + 1]))
                    continue;
                TimeGemm(shape, repsAt >= 0 ? int.Parse(args[repsAt + 1]) : shape.IsHuge ? 2 : shape.Flops < 1e9 ? 20 : 4);
            }
        }
        if (!skipKnn)
        {
            FashionMnist? data = FashionMnist.TryLoad();
            if (data is null)
            {
                Console.WriteLine($"Fashion-MNIST not found in {FashionMnist.Directory}; install with: apt-get install dataset-fashion-mnist");
                return;
            }
            int distanceAt = Array.IndexOf(args, "--distance");
            KnnDistance[] distances = distanceAt >= 0 ? [Enum.Parse<KnnDistance>(args[distanceAt + 1], ignoreCase: true)] : [KnnDistance.L2, KnnDistance.L1];
            foreach (KnnDistance distance in distances)
                KnnRun.TimeSingleQueries(data, distance, k: 5, queries: 20);
            foreach (KnnDistance distance in distances)
                KnnRun.TimeSearch(data, distance, k: 5, repetitions: 2, queryCount: queriesAt >= 0 ? int.Parse(args[queriesAt + 1]) : 0);
            foreach (KnnDistance distance in distances)
                KnnPipelineRun.Time(distance, repetitions: 2);
        }
    }

    private static void TimeGemm(GemmShape shape, int repetitions)
    {
        var (a, b, c) = shape.Allocate();
        shape.Run(a, b, c); // warm-up: JIT tiers and page faults.
        var times = new List<double>();
        var process = Process.GetCurrentProcess();
        TimeSpan cpuStart = process.TotalProcessorTime;
        for (int r = 0; r < repetitions; r++)
        {
            var watch = Stopwatch.StartNew();
            shape.Run(a, b, c);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        double best = times.Min(), median = times.Order().ElementAt(times.Count / 2);
        Console.WriteLine($"GEMM {shape.Name,-20} best {best * 1e3,9:F2} ms  {shape.Flops / best / 1e9,7:F1} GFLOP/s   median {shape.Flops / median / 1e9,7:F1} GFLOP/s  ({repetitions} runs; {shape.Flops * repetitions / cpuSeconds / 1e9,6:F1} GFLOP per CPU-second)");
    }
}
