using System.Diagnostics;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// The direct and Winograd paths of one convolution layer side by side: the fastest of many forward and backward
/// passes at batch 128, on one thread and on all, so that a shared machine's load (which only ever adds time) is
/// filtered out as far as possible.
/// </summary>
internal static class ConvolutionPathProfile
{
    public static void Run(int repetitions = 15)
    {
        Console.WriteLine("convolution paths at batch 128: fastest forward / backward ms of " + repetitions + " passes");
        foreach (var (name, shape, filters, kernel, padding) in new[]
        {
            ("2-conv layer 2 (32→64, 5×5, 14×14)", new ImageShape(32, 14, 14), 64, 5, 2),
            ("default layer 2 (32→64, 3×3, 14×14)", new ImageShape(32, 14, 14), 64, 3, 1),
        })
        {
            foreach (int threads in new[] { 1, Environment.ProcessorCount })
            {
                NumericsSettings.MaxDegreeOfParallelism = threads;
                var direct = Time(shape, filters, kernel, padding, WinogradUse.Never, repetitions);
                var winograd = Time(shape, filters, kernel, padding, WinogradUse.WhereSupported, repetitions);
                Console.WriteLine($"  {name}, {threads} thread(s): direct {direct.Forward,6:F2} / {direct.Backward,6:F2}   Winograd {winograd.Forward,6:F2} / {winograd.Backward,6:F2}"
                    + $"   ratio {(direct.Forward + direct.Backward) / (winograd.Forward + winograd.Backward):F2}×");
            }
        }
        NumericsSettings.MaxDegreeOfParallelism = Environment.ProcessorCount;
    }

    private static (double Forward, double Backward) Time(ImageShape shape, int filters, int kernel, int padding, WinogradUse use, int repetitions)
    {
        var layer = new Conv2dLayer<float>(shape, filters, kernel, padding: padding) { Winograd = use };
        layer.Initialize(new SeededRandom(1));
        var random = new Random(2);
        var x = new Matrix<float>(Enumerable.Range(0, 128 * shape.Size).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), 128, shape.Size);
        var dy = new Matrix<float>(Enumerable.Range(0, 128 * layer.OutputSize).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), 128, layer.OutputSize);
        double forward = double.MaxValue, backward = double.MaxValue;
        for (int i = -2; i < repetitions; i++)
        {
            long start = Stopwatch.GetTimestamp();
            layer.Forward(x, training: true);
            double f = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            layer.Backward(dy);
            double b = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (i >= 0)
            {
                forward = Math.Min(forward, f);
                backward = Math.Min(backward, b);
            }
        }
        return (forward, backward);
    }
}
