using BenchmarkDotNet.Attributes;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>Single-precision GEMM on the suite's shapes (see <see cref="GemmShapes"/>); GFLOP/s = 2·m·n·k / time.</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShapes.All[0];

    public static IEnumerable<GemmShape> Shapes => GemmShapes.All;

    [GlobalSetup]
    public void Setup() => (_a, _b, _c) = Shape.Allocate();

    [Benchmark]
    public void Multiply() => Shape.Run(_a, _b, _c);

    /// <summary>The product measured must also be right.</summary>
    [GlobalCleanup]
    public void Verify() => Shape.Verify(_a, _b, _c);
}
