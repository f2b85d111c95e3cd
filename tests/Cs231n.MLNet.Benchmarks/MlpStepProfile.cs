using System.Diagnostics;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Numerics;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// Where one training step of the 784-512-256-10 network at batch 128 spends its time: each layer's forward and
/// backward, the loss, and the optimiser updates, in milliseconds per step over random data (no data loading), and the
/// GEMM products of the step timed alone.
/// </summary>
internal static class MlpStepProfile
{
    public static void Run(int steps)
    {
        const int batch = 128;
        var random = new Random(1);
        var input = new Matrix<float>(new float[batch * 784], batch, 784);
        for (int i = 0; i < input.Data.Length; i++)
            input.Data[i] = (float)random.NextDouble();
        int[] labels = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
        foreach (var optimizer in new Optimizer<float>[] { new MomentumOptimizer<float>(0.9), new AdamOptimizer<float>() })
        {
            var network = new NeuralNetwork<float>(
                [new AffineLayer<float>(784, 512), new ReluLayer<float>(512), new AffineLayer<float>(512, 256), new ReluLayer<float>(256), new AffineLayer<float>(256, 10)],
                new SoftmaxCrossEntropyLoss<float>(), 1e-4);
            network.Initialize(0);
            var states = network.Parameters.Select(p => optimizer.CreateState(p.Value.Length)).ToArray();
            var forward = new double[network.Layers.Count];
            var backward = new double[network.Layers.Count];
            double loss = 0, update = 0, clear = 0, total = 0;
            var watch = new Stopwatch();
            for (int s = -20; s < steps; s++)
            {
                if (s == 0)
                {
                    Array.Clear(forward);
                    Array.Clear(backward);
                    loss = update = clear = total = 0;
                }
                long start = Stopwatch.GetTimestamp();
                var activation = input;
                for (int l = 0; l < network.Layers.Count; l++)
                {
                    watch.Restart();
                    activation = network.Layers[l].Forward(activation, training: true);
                    forward[l] += watch.Elapsed.TotalMilliseconds;
                }
                watch.Restart();
                var gradient = new Matrix<float>(new float[batch * 10], batch, 10);
                network.Loss.Compute(activation, labels, gradient);
                loss += watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                foreach (var parameter in network.Parameters)
                    Array.Clear(parameter.Gradient);
                clear += watch.Elapsed.TotalMilliseconds;
                for (int l = network.Layers.Count - 1; l >= 0; l--)
                {
                    watch.Restart();
                    gradient = network.Layers[l].Backward(gradient);
                    backward[l] += watch.Elapsed.TotalMilliseconds;
                }
                watch.Restart();
                for (int p = 0; p < network.Parameters.Count; p++)
                    optimizer.Update(network.Parameters[p].Value, network.Parameters[p].Gradient, states[p], 1e-3f);
                update += watch.Elapsed.TotalMilliseconds;
                total += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Console.WriteLine($"{optimizer.GetType().Name}: {total / steps:F3} ms/step = {batch * steps / total * 1e3:F0} samples/s (no data loading)");
            for (int l = 0; l < network.Layers.Count; l++)
                Console.WriteLine($"  {l} {network.Layers[l].GetType().Name,-20} forward {forward[l] / steps:F3} ms  backward {backward[l] / steps:F3} ms");
            Console.WriteLine($"  loss {loss / steps:F3} ms  clear {clear / steps:F3} ms  update {update / steps:F3} ms");
            double whole = 0, updates = 0;
            var process = Process.GetCurrentProcess();
            TimeSpan cpuStart = default;
            for (int s = -20; s < steps; s++)
            {
                if (s == 0)
                {
                    process.Refresh();
                    cpuStart = process.TotalProcessorTime;
                }
                long start = Stopwatch.GetTimestamp();
                network.ComputeLossAndGradients(input, labels);
                long middle = Stopwatch.GetTimestamp();
                for (int p = 0; p < network.Parameters.Count; p++)
                    optimizer.Update(network.Parameters[p].Value, network.Parameters[p].Gradient, states[p], 1e-3f);
                if (s >= 0)
                {
                    whole += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    updates += Stopwatch.GetElapsedTime(middle).TotalMilliseconds;
                }
            }
            process.Refresh();
            double cpu = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
            Console.WriteLine($"  whole step as the solver runs it: {whole / steps:F3} ms = {batch * steps / whole * 1e3:F0} samples/s, of which updates {updates / steps:F3} ms; {cpu / steps:F3} CPU-ms per step");
        }
        (string Name, bool Ta, bool Tb, int M, int N, int K)[] products =
        [
            ("fwd1 X·W1ᵀ", false, true, 128, 512, 784), ("fwd2", false, true, 128, 256, 512), ("fwd3", false, true, 128, 10, 256),
            ("dW3 dYᵀ·H2", true, false, 10, 256, 128), ("dX3 dY·W3", false, false, 128, 256, 10),
            ("dW2", true, false, 256, 512, 128), ("dX2", false, false, 128, 512, 256), ("dW1", true, false, 512, 784, 128),
        ];
        foreach (var (name, ta, tb, m, n, k) in products)
        {
            var a = new float[m * k];
            var b = new float[k * n];
            var c = new float[m * n];
            random.NextBytes(new byte[1]);
            for (int i = 0; i < a.Length; i++) a[i] = (float)random.NextDouble();
            for (int i = 0; i < b.Length; i++) b[i] = (float)random.NextDouble();
            void Once() => Gemm.Multiply(ta ? MatrixTranspose.Transpose : MatrixTranspose.None, tb ? MatrixTranspose.Transpose : MatrixTranspose.None,
                m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 1f, c, n);
            for (int r = 0; r < 50; r++) Once();
            var w = Stopwatch.StartNew();
            for (int r = 0; r < steps; r++) Once();
            double ms = w.Elapsed.TotalMilliseconds / steps;
            Console.WriteLine($"  GEMM {name,-12} {m}x{n}x{k} {ms:F3} ms {2.0 * m * n * k / ms / 1e6:F1} GFLOP/s");
        }
        TimeSideBySide(steps, random);
    }

    /// <summary>The second layer's backward products (dW2 and dX2) one after the other, each over all threads, and side by side.</summary>
    private static unsafe void TimeSideBySide(int steps, Random random)
    {
        const int rows = 128, inputs = 512, outputs = 256;
        float[] dout = new float[rows * outputs], x = new float[rows * inputs], w = new float[outputs * inputs];
        float[] dw = new float[outputs * inputs], dx = new float[rows * inputs];
        foreach (float[] values in new[] { dout, x, w })
        {
            for (int i = 0; i < values.Length; i++)
                values[i] = (float)random.NextDouble();
        }
        var pair = new SideBySideGemm();
        fixed (float* pd = dout, px = x, pw = w, pdw = dw, pdx = dx)
        {
            pair.Set(0, true, false, outputs, inputs, rows, 1f, pd, outputs, px, inputs, 1f, pdw, inputs);
            pair.Set(1, false, false, rows, inputs, outputs, 1f, pd, outputs, pw, inputs, 0f, pdx, inputs);
            void Sequential()
            {
                Gemm.Multiply(MatrixTranspose.Transpose, MatrixTranspose.None, outputs, inputs, rows, 1f, dout, outputs, x, inputs, 1f, dw, inputs);
                Gemm.Multiply(MatrixTranspose.None, MatrixTranspose.None, rows, inputs, outputs, 1f, dout, outputs, w, inputs, 0f, dx, inputs);
            }
            foreach (var (name, run) in new (string, Action)[] { ("one after the other", Sequential), ("side by side", pair.Run) })
            {
                for (int r = 0; r < 50; r++)
                    run();
                var watch = Stopwatch.StartNew();
                for (int r = 0; r < steps; r++)
                    run();
                double ms = watch.Elapsed.TotalMilliseconds / steps;
                Console.WriteLine($"  GEMM dW2 + dX2 {name,-20} {ms:F3} ms {4.0 * rows * inputs * outputs / ms / 1e6:F1} GFLOP/s");
            }
        }
    }
}
