using BenchmarkDotNet.Running;
using Cs231n.MLNet.Benchmarks;

// `--quick`: short timed runs with GFLOP/s and kNN seconds; otherwise BenchmarkDotNet (pass its usual arguments,
// e.g. `--filter '*Gemm*'`).
if (args.Contains("--quick"))
    QuickRun.Run(args);
else
    BenchmarkSwitcher.FromAssembly(typeof(GemmShape).Assembly).Run(args);
