using Cs231n.MLNet.Losses;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Tests.Engine;

/// <summary>A training step (forward, backward, every optimiser update) allocates nothing once its buffers exist.</summary>
/// <remarks>
/// Each worker thread keeps its own reusable call objects, made the first time that thread runs a product of a kind, and
/// the dynamic scheduling decides when that happens; so a few hundred bytes may still appear once after the warm-up. Any
/// object allocated per step (at least 24 bytes) would show 50 times over.
/// </remarks>
[TestClass]
public sealed class TrainingStepAllocationTests
{
    [TestMethod]
    public void StepsAfterTheFirstAllocateNothing()
    {
        // Large enough for the parallel paths: products over both threads, side-by-side backward, sliced updates.
        const int batch = 64, inputs = 300, hidden = 200, classes = 10, Steps = 50;
        var random = new Random(7);
        var x = new Matrix<float>(Enumerable.Range(0, batch * inputs).Select(_ => (float)random.NextDouble()).ToArray(), batch, inputs);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % classes).ToArray();
        foreach (var optimizer in new Optimizer<float>[] { new AdamOptimizer<float>(), new MomentumOptimizer<float>(0.9) })
        {
            foreach (double lambda in new[] { 0.0, 1e-3 })
            {
                var network = new NeuralNetwork<float>([new AffineLayer<float>(inputs, hidden), new ReluLayer<float>(hidden), new AffineLayer<float>(hidden, classes)],
                    new SoftmaxCrossEntropyLoss<float>(), lambda);
                network.Initialize(seed: 1);
                var states = network.Parameters.Select(p => optimizer.CreateState(p.Value.Length)).ToArray();
                void Step()
                {
                    network.ComputeLossAndGradients(x, labels);
                    for (int p = 0; p < states.Length; p++)
                        optimizer.Update(network.Parameters[p].Value, network.Parameters[p].Gradient, states[p], 1e-3f);
                }
                for (int s = 0; s < 3; s++)
                    Step();
                long before = GC.GetTotalAllocatedBytes(precise: true);
                for (int s = 0; s < Steps; s++)
                    Step();
                long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                Assert.IsLessThan(Steps * 24L, allocated, $"{optimizer.GetType().Name}, λ = {lambda}: {allocated} bytes allocated by {Steps} steps");
            }
        }
    }
}
