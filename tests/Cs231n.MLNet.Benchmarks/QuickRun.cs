using System.Diagnostics;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// The `--quick` mode: a few timed repetitions per row of the README's performance table, printing GFLOP/s for GEMM,
/// seconds plus accuracy for the full Fashion-MNIST neighbour search, fit times and throughputs. Every row runs in a
/// fresh child process, so its first repetition is what a user's first call costs (JIT, static initialisation, page
/// faults on new buffers) and the later ones show the warm figure; both are printed.
/// </summary>
internal static class QuickRun
{
    /// <summary>Options passed on to every child process.</summary>
    private static readonly string[] PassedOn = ["--threads", "--kernel", "--reps", "--queries", "--epochs"];

    public static void Run(string[] args)
    {
        if (args.Contains("--onnx"))
        {
            OnnxScoringRun.Run(args);
            return;
        }
        int rowAt = Array.IndexOf(args, "--row");
        if (rowAt >= 0 || args.Contains("--cnn") || args.Contains("--cnn-profile") || args.Contains("--conv-paths"))
        {
            // The CNN runs are one row each, run in this process.
            RunRow(rowAt >= 0 ? args[rowAt + 1] : "cnn", args);
            return;
        }
        Console.WriteLine($"Kernel: {NumericsSettings.InstructionSet}, threads: {NumericsSettings.MaxDegreeOfParallelism}; each row in a fresh process (first call, then warm)");
        foreach (string row in Rows(args))
            RunChild(row, args);
    }

    /// <summary>The rows the flags select.</summary>
    private static IEnumerable<string> Rows(string[] args)
    {
        if (args.Contains("--mlp"))
            return ["mlp-fit"];
        if (args.Contains("--mlp-profile"))
            return ["mlp-profile"];
        if (args.Contains("--linear"))
            return ["linear-fit"];
        if (args.Contains("--inference"))
            return ["inference"];
        var rows = new List<string>();
        bool skipKnn = args.Contains("--gemm-only"), skipGemm = args.Contains("--knn-only"), skipHuge = args.Contains("--no-huge");
        int shapeAt = Array.IndexOf(args, "--shape");
        if (!skipGemm)
        {
            int customAt = Array.IndexOf(args, "--mnk");
            if (customAt >= 0)
                rows.AddRange(args[customAt + 1].Split(';').Select(s => "gemm-mnk:" + s));
            else
                rows.AddRange(GemmShapes.All.Where(s => !(skipHuge && s.IsHuge) && (shapeAt < 0 || s.Name == args[shapeAt + 1])).Select(s => "gemm:" + s.Name));
        }
        if (!skipKnn)
        {
            int distanceAt = Array.IndexOf(args, "--distance");
            string[] distances = distanceAt >= 0 ? [args[distanceAt + 1]] : ["L2", "L1"];
            rows.AddRange(distances.Select(d => "knn-single:" + d));
            rows.AddRange(distances.Select(d => "knn-search:" + d));
            rows.AddRange(distances.Select(d => "knn-search8:" + d));
            rows.AddRange(distances.Select(d => "knn-pipeline:" + d));
        }
        return rows;
    }

    private static void RunChild(string row, string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        string entry = Environment.GetCommandLineArgs()[0];
        if (entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(entry);
        start.ArgumentList.Add("--quick");
        start.ArgumentList.Add("--row");
        start.ArgumentList.Add(row);
        foreach (string option in PassedOn)
        {
            int at = Array.IndexOf(args, option);
            if (at >= 0 && at + 1 < args.Length)
            {
                start.ArgumentList.Add(option);
                start.ArgumentList.Add(args[at + 1]);
            }
        }
        using var child = Process.Start(start)!;
        child.WaitForExit();
        if (child.ExitCode != 0)
            Console.WriteLine($"{row}: the child process failed with exit code {child.ExitCode}");
    }

    private static void RunRow(string row, string[] args)
    {
        int threadsAt = Array.IndexOf(args, "--threads");
        if (threadsAt >= 0)
            NumericsSettings.MaxDegreeOfParallelism = int.Parse(args[threadsAt + 1]);
        if (args.Contains("--conv-paths"))
        {
            ConvolutionPathProfile.Run();
            return;
        }
        if (args.Contains("--cnn-profile"))
        {
            int stepsAt = Array.IndexOf(args, "--steps");
            int steps = stepsAt >= 0 ? int.Parse(args[stepsAt + 1]) : 20;
            if (!args.Contains("--no-default"))
                CnnLayerProfile.Run("default network", ConvolutionalNetworks.ConvNetArchitecture.DefaultLayers(), steps);
            if (!args.Contains("--no-two-conv"))
                CnnLayerProfile.Run("2-conv network", CnnRun.TwoConvLayers(), steps);
            return;
        }
        if (args.Contains("--cnn"))
        {
            CnnRun.Run(args);
            return;
        }
        int kernelAt = Array.IndexOf(args, "--kernel");
        if (kernelAt >= 0)
            NumericsSettings.ForcedInstructionSet = Enum.Parse<SimdInstructionSet>(args[kernelAt + 1], ignoreCase: true);
        int repsAt = Array.IndexOf(args, "--reps");
        int queriesAt = Array.IndexOf(args, "--queries");
        string kind = row.Split(':')[0], argument = row.Contains(':') ? row[(row.IndexOf(':') + 1)..] : "";
        switch (kind)
        {
            case "mlp-profile":
                MlpStepProfile.Run(steps: repsAt >= 0 ? int.Parse(args[repsAt + 1]) : 300);
                return;
            case "mlp-fit":
                MlpThroughputRun.Time(epochs: Array.IndexOf(args, "--epochs") is var epochsAt and >= 0 ? int.Parse(args[epochsAt + 1]) : 3);
                return;
            case "linear-fit":
                LinearFitRun.Time(repetitions: 3);
                return;
            case "inference":
                MlpInferenceRun.Time(repetitions: 4);
                return;
            case "gemm" or "gemm-mnk":
            {
                GemmShape shape = kind == "gemm" ? GemmShapes.All.Single(s => s.Name == argument)
                    : argument.Split(',').Select(int.Parse).ToArray() is var d ? new GemmShape($"{d[0]}x{d[2]}x{d[1]}", d[0], d[1], d[2]) : null!;
                TimeGemm(shape, repsAt >= 0 ? int.Parse(args[repsAt + 1]) : shape.IsHuge ? 2 : shape.Flops < 1e9 ? 20 : 4);
                return;
            }
        }
        var distance = Enum.Parse<KnnDistance>(argument, ignoreCase: true);
        if (kind == "knn-pipeline")
        {
            KnnPipelineRun.Time(distance, repetitions: 3);
            return;
        }
        FashionMnist? data = FashionMnist.TryLoad();
        if (data is null)
        {
            Console.WriteLine($"Fashion-MNIST not found in {FashionMnist.Directory}; install with: apt-get install dataset-fashion-mnist");
            return;
        }
        if (kind == "knn-search8")
            KnnRun.TimeByteSearch(data, distance, k: 5, repetitions: 3);
        else if (kind == "knn-single")
            KnnRun.TimeSingleQueries(data, distance, k: 5, queries: 20);
        else
            KnnRun.TimeSearch(data, distance, k: 5, repetitions: 3, queryCount: queriesAt >= 0 ? int.Parse(args[queriesAt + 1]) : 0);
    }

    private static void TimeGemm(GemmShape shape, int repetitions)
    {
        var (a, b, c) = shape.Allocate();
        var watch = Stopwatch.StartNew();
        shape.Run(a, b, c); // the process's first product: JIT tiers and page faults of the scratch buffers.
        double first = watch.Elapsed.TotalSeconds;
        var times = new List<double>();
        var process = Process.GetCurrentProcess();
        TimeSpan cpuStart = process.TotalProcessorTime;
        for (int r = 0; r < repetitions; r++)
        {
            watch.Restart();
            shape.Run(a, b, c);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        double best = times.Min(), median = times.Order().ElementAt(times.Count / 2);
        Console.WriteLine($"GEMM {shape.Name,-20} first call {first * 1e3:F2} ms {shape.Flops / first / 1e9:F1} GFLOP/s; warm best {best * 1e3,9:F2} ms  {shape.Flops / best / 1e9,7:F1} GFLOP/s   median {shape.Flops / median / 1e9,7:F1} GFLOP/s  ({repetitions} runs; {shape.Flops * repetitions / cpuSeconds / 1e9,6:F1} GFLOP per CPU-second)");
    }
}
