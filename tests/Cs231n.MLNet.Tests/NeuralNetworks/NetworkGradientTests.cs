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
