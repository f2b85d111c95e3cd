using System.Diagnostics;
using Cs231n.MLNet.ConvolutionalNetworks;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// Where the time of one training step goes: forward and backward milliseconds per layer of a convolutional network
/// at batch 128 on 1×28×28 inputs, as the median of several steps after a warm-up.
/// </summary>
internal static class CnnLayerProfile
{
    public static void Run(string name, IReadOnlyList<ConvNetLayer> layers, int steps = 20)
    {
        var shape = new ImageShape(1, 28, 28);
        var network = ConvNetArchitecture.Build(shape, layers, 10, seed: 1);
        network.Initialize(1);
        var random = new Random(2);
        var x = new Matrix<float>(Enumerable.Range(0, 128 * shape.Size).Select(_ => (float)random.NextDouble()).ToArray(), 128, shape.Size);
        int count = network.Layers.Count;
        var forward = new double[count][];
        var backward = new double[count][];
        for (int l = 0; l < count; l++)
        {
            forward[l] = new double[steps];
            backward[l] = new double[steps];
        }
        var forwardCpu = new double[count];
        var backwardCpu = new double[count];
        var process = Process.GetCurrentProcess();
        for (int step = -2; step < steps; step++)
        {
            var activation = x;
            for (int l = 0; l < count; l++)
            {
                long start = Stopwatch.GetTimestamp();
                var cpu = process.TotalProcessorTime;
                activation = network.Layers[l].Forward(activation, training: true);
                if (step >= 0)
                {
                    forward[l][step] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    process.Refresh();
                    forwardCpu[l] += (process.TotalProcessorTime - cpu).TotalMilliseconds / steps;
                }
            }
            var gradient = new Matrix<float>(activation.Span.ToArray(), activation.Rows, activation.Columns);
            for (int l = count - 1; l >= 0; l--)
            {
                long start = Stopwatch.GetTimestamp();
                var cpu = process.TotalProcessorTime;
                gradient = network.Layers[l].Backward(gradient);
                if (step >= 0)
                {
                    backward[l][step] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    process.Refresh();
                    backwardCpu[l] += (process.TotalProcessorTime - cpu).TotalMilliseconds / steps;
                }
            }
        }
        Console.WriteLine($"{name}: per-layer median wall ms at batch 128 (forward / backward), then mean CPU ms of all threads (forward / backward; what a loaded machine inflates least)");
        double total = 0, totalCpu = 0;
        for (int l = 0; l < count; l++)
        {
            double f = Median(forward[l]), b = Median(backward[l]);
            total += f + b;
            totalCpu += forwardCpu[l] + backwardCpu[l];
            Console.WriteLine($"  {l,2} {network.Layers[l].GetType().Name.TrimEnd('1').TrimEnd('`'),-28} {f,8:F2} {b,8:F2}   cpu {forwardCpu[l],8:F2} {backwardCpu[l],8:F2}");
        }
        Console.WriteLine($"  total {total:F1} ms per step: {128 / total * 1000:F0} images/s; {totalCpu:F1} CPU ms per step");
    }

    private static double Median(double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }
}
