using Cs231n.MLNet.GradientChecking;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Tests.Engine;

[TestClass]
public sealed class NetworkGradientTests
{
    [TestMethod]
    public void TwoHiddenLayerNetworkWithL2AndDropoutGradientChecks()
    {
        foreach (ClassificationLoss<double> loss in new ClassificationLoss<double>[] { new SoftmaxCrossEntropyLoss<double>(), new MulticlassHingeLoss<double>() })
        {
            var network = new NeuralNetwork<double>(
            [
                new AffineLayer<double>(6, 8), new ReluLayer<double>(8), new DropoutLayer<double>(8, 0.25, seed: 1) { FreezeMask = true },
                new AffineLayer<double>(8, 7, WeightInitialization.Xavier), new TanhLayer<double>(7), new DropoutLayer<double>(7, 0.25, seed: 2) { FreezeMask = true },
                new AffineLayer<double>(7, 4, WeightInitialization.Xavier),
            ], loss, l2Regularization: 0.05);
            network.Initialize(seed: 11);
            // Enough rows that no hidden unit is silenced (ReLU off or dropped) for all of them: such a unit's exact
            // gradient is 0, which no finite difference reproduces to a relative error of 1e-7.
            var x = LayerGradientTests.RandomInput(6, seed: 12, rows: 16);
            int[] labels = Enumerable.Range(0, 16).Select(i => i % 4).ToArray();

            // The first (training-mode) pass draws the dropout masks; they stay fixed for every evaluation below.
            network.ComputeLossAndGradients(x, labels);
            var analytic = network.Parameters.Select(p => (double[])p.Gradient.Clone()).ToArray();
            for (int p = 0; p < analytic.Length; p++)
            {
                var parameter = network.Parameters[p];
                // Five-point differences: some coordinates' gradients are ~1e-4, where two-point rounding noise alone is ~1e-7 relative.
                var result = GradientCheck.Check(_ => network.ComputeLoss(x, labels, training: true), parameter.Value, analytic[p],
                    formula: FiniteDifference.CentredFourthOrder);
                Assert.IsLessThanOrEqualTo(1e-7, result.MaxRelativeError, $"{loss.GetType().Name}, parameter {p} {parameter}: {result}");
            }
        }
    }

    [TestMethod]
    public void LargeWeightMatrixIsSeededIdenticallyForOneAndTwoThreadsAndCarriesTheL2Term()
    {
        // 300×200 weights: more than two slices of the parallel seeding, whose last slice is partial.
        (float Loss, float Regularization, float[] Weights, float[][] Gradients) Run(int threads, double lambda)
        {
            using var scope = new Cs231n.MLNet.Tests.Numerics.NumericsSettingsScope(threads: threads);
            var network = new NeuralNetwork<float>([new AffineLayer<float>(300, 200), new ReluLayer<float>(200), new AffineLayer<float>(200, 10)],
                new SoftmaxCrossEntropyLoss<float>(), l2Regularization: lambda);
            network.Initialize(seed: 5);
            var random = new Random(6);
            var x = new Matrix<float>(Enumerable.Range(0, 32 * 300).Select(_ => (float)random.NextDouble()).ToArray(), 32, 300);
            float loss = network.ComputeLossAndGradients(x, Enumerable.Range(0, 32).Select(i => i % 10).ToArray());
            return (loss, network.RegularizationLoss(), network.Parameters[0].Value, network.Parameters.Select(p => (float[])p.Gradient.Clone()).ToArray());
        }
        var one = Run(1, 0.01);
        var two = Run(2, 0.01);
        Assert.AreEqual(one.Loss, two.Loss);
        for (int p = 0; p < one.Gradients.Length; p++)
            CollectionAssert.AreEqual(one.Gradients[p], two.Gradients[p], $"parameter {p}");

        // Against the same step without L2: the gradient differs by λ·W and the loss by ½·λ·Σw².
        var plain = Run(2, 0);
        for (int i = 0; i < two.Weights.Length; i++)
            Assert.AreEqual(0.01 * two.Weights[i], two.Gradients[0][i] - plain.Gradients[0][i], 1e-6, $"weight {i}");
        double squares = two.Weights.Sum(w => (double)w * w);
        Assert.IsGreaterThan(0.005 * squares, two.Regularization + 1e-6);
        Assert.AreEqual(plain.Loss + two.Regularization, two.Loss, 1e-5 * two.Loss);
    }

    [TestMethod]
    public void InitialLossOfASmallWeightNetworkIsLogOfClassCount()
    {
        // CS231n's sanity check for networks: with tiny weights every class is equally likely, so the loss is ln C.
        var network = new NeuralNetwork<double>(
        [
            new AffineLayer<double>(20, 50, WeightInitialization.Scaled, 1e-3), new ReluLayer<double>(50), new DropoutLayer<double>(50, 0.5, seed: 1),
            new AffineLayer<double>(50, 10, WeightInitialization.Scaled, 1e-3),
        ], new SoftmaxCrossEntropyLoss<double>());
        network.Initialize(seed: 2);
        var x = LayerGradientTests.RandomInput(20, seed: 3, rows: 100);
        int[] labels = Enumerable.Range(0, 100).Select(i => i % 10).ToArray();
        Assert.AreEqual(Math.Log(10), network.ComputeLoss(x, labels, training: true), 1e-3);
    }

    [TestMethod]
    public void SparseCheckOnALargerNetwork()
    {
        var network = new NeuralNetwork<double>(
            [new AffineLayer<double>(30, 50), new LeakyReluLayer<double>(50), new AffineLayer<double>(50, 10)],
            new SoftmaxCrossEntropyLoss<double>(), l2Regularization: 0.01);
        network.Initialize(seed: 5);
        var x = LayerGradientTests.RandomInput(30, seed: 6, rows: 16);
        int[] labels = Enumerable.Range(0, 16).Select(i => i % 10).ToArray();
        network.ComputeLossAndGradients(x, labels);
        var first = network.Parameters[0];
        double[] analytic = (double[])first.Gradient.Clone();
        var result = GradientCheck.CheckSparse(_ => network.ComputeLoss(x, labels), first.Value, analytic, samples: 50, seed: 1,
            formula: FiniteDifference.CentredFourthOrder);
        Assert.IsLessThanOrEqualTo(1e-7, result.MaxRelativeError, result.ToString());
    }
}
