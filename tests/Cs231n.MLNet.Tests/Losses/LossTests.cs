using Cs231n.MLNet.GradientChecking;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Tests.Engine;

[TestClass]
public sealed class LossTests
{
    // Three examples, three classes. Row 1 has a hinge margin of exactly 0 for class 2, which must not count.
    private static readonly double[] HandScores = [1, 2, 3, 2, 0, -1, 0.5, 0.5, 0.5];
    private static readonly int[] HandLabels = [0, 1, 2];

    [TestMethod]
    public void HingeLossMatchesHandComputation()
    {
        var gradient = new Matrix<double>(new double[9], 3, 3);
        double loss = new MulticlassHingeLoss<double>().Compute(new Matrix<double>(HandScores, 3, 3), HandLabels, gradient);

        // Row 0: max(0, 2−1+1) + max(0, 3−1+1) = 5; row 1: max(0, 2−0+1) + max(0, −1−0+1) = 3; row 2: 1 + 1 = 2.
        Assert.AreEqual(10.0 / 3, loss, 1e-15);
        double[] expected = [-2, 1, 1, 1, -1, 0, 1, 1, -2];
        for (int i = 0; i < 9; i++)
            Assert.AreEqual(expected[i] / 3, gradient.Data[i], 1e-15, $"dScores[{i}]");
    }

    [TestMethod]
    public void SoftmaxLossMatchesHandComputation()
    {
        var gradient = new Matrix<double>(new double[9], 3, 3);
        double loss = new SoftmaxCrossEntropyLoss<double>().Compute(new Matrix<double>(HandScores, 3, 3), HandLabels, gradient);

        // L0 = log(1 + e + e²), L1 = log(e² + 1 + e⁻¹), L2 = log 3.
        double l0 = Math.Log(1 + Math.E + Math.E * Math.E);
        double l1 = Math.Log(Math.E * Math.E + 1 + 1 / Math.E);
        Assert.AreEqual((l0 + l1 + Math.Log(3)) / 3, loss, 1e-14);
        Assert.AreEqual(1.8920214242229253, (l0 + l1 + Math.Log(3)) / 3, 1e-14, "numeric value of the hand formula");
        // Row 0: p = (1, e, e²)/(1 + e + e²); dS = (p − onehot(0))/3.
        double z = 1 + Math.E + Math.E * Math.E;
        Assert.AreEqual((1 / z - 1) / 3, gradient[0, 0], 1e-15);
        Assert.AreEqual(Math.E / z / 3, gradient[0, 1], 1e-15);
        Assert.AreEqual(Math.E * Math.E / z / 3, gradient[0, 2], 1e-15);
        Assert.AreEqual((1.0 / 3 - 1) / 3, gradient[2, 2], 1e-15);
    }

    [TestMethod]
    public void SoftmaxLossIsStableForHugeScores()
    {
        double[] scores = [1000, 0, -1000];
        var gradient = new Matrix<double>(new double[3], 1, 3);
        double loss = new SoftmaxCrossEntropyLoss<double>().Compute(new Matrix<double>(scores, 1, 3), [1], gradient);
        Assert.AreEqual(1000, loss, 1e-9);
        Assert.IsTrue(gradient.Data.All(double.IsFinite));

        float[] floatScores = [100f, 0f, -100f];
        var floatGradient = new Matrix<float>(new float[3], 1, 3);
        float floatLoss = new SoftmaxCrossEntropyLoss<float>().Compute(new Matrix<float>(floatScores, 1, 3), [0], floatGradient);
        Assert.AreEqual(0f, floatLoss, 1e-6f);
    }

    [TestMethod]
    public void LossesGradientCheckOnScores()
    {
        var random = new Random(1);
        double[] scores = Enumerable.Range(0, 5 * 4).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        int[] labels = [0, 3, 1, 2, 3];
        foreach (ClassificationLoss<double> loss in new ClassificationLoss<double>[] { new SoftmaxCrossEntropyLoss<double>(), new MulticlassHingeLoss<double>(1.0) })
        {
            var analytic = new Matrix<double>(new double[20], 5, 4);
            loss.Compute(new Matrix<double>(scores, 5, 4), labels, analytic);
            var scratch = new Matrix<double>(new double[20], 5, 4);
            var result = GradientCheck.Check(s => loss.Compute(new Matrix<double>(s, 5, 4), labels, scratch), scores, analytic.Data);
            Assert.IsLessThanOrEqualTo(1e-7, result.MaxRelativeError, $"{loss.GetType().Name}: {result}");
        }
    }

    [TestMethod]
    public void LinearClassifierGradientChecksWithL2ForBothLosses()
    {
        // The linear classifier is the one-affine-layer network that training runs, here in double precision.
        foreach (bool softmax in new[] { true, false })
        {
            var (network, x, labels) = LinearProblem(softmax, l2: 0.3);
            network.ComputeLossAndGradients(x, labels);
            foreach (var parameter in network.Parameters)
            {
                double[] analytic = (double[])parameter.Gradient.Clone();
                var result = GradientCheck.Check(_ => network.ComputeLoss(x, labels), parameter.Value, analytic);
                Assert.IsLessThanOrEqualTo(1e-7, result.MaxRelativeError, $"{(softmax ? "softmax" : "SVM")} {parameter}: {result}");
            }
        }
    }

    [TestMethod]
    public void InitialSoftmaxLossIsLogOfClassCount()
    {
        var (network, x, labels) = LinearProblem(softmax: true, l2: 0, classes: 10, examples: 200, scale: 1e-4);
        Assert.AreEqual(Math.Log(10), network.ComputeLoss(x, labels), 0.01);
    }

    [TestMethod]
    public void InitialSvmLossIsClassCountMinusOne()
    {
        var (network, x, labels) = LinearProblem(softmax: false, l2: 0, classes: 10, examples: 200, scale: 1e-4);
        Assert.AreEqual(9.0, network.ComputeLoss(x, labels), 0.01);
    }

    [TestMethod]
    public void LabelOutsideTheClassesIsReported()
    {
        var gradient = new Matrix<double>(new double[9], 3, 3);
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            new SoftmaxCrossEntropyLoss<double>().Compute(new Matrix<double>(HandScores, 3, 3), [0, 3, 1], gradient));
        StringAssert.Contains(error.Message, "Label 3 of row 1 is outside [0, 3)");
    }

    [TestMethod]
    public void HingeMarginMustBePositive()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MulticlassHingeLoss<float>(0));
        StringAssert.Contains(error.Message, "must be positive and finite; got 0");
    }

    internal static (NeuralNetwork<double> Network, Matrix<double> X, int[] Labels) LinearProblem(
        bool softmax, double l2, int classes = 4, int examples = 7, int features = 6, double scale = 0.5)
    {
        var random = new Random(7);
        var x = new Matrix<double>(Enumerable.Range(0, examples * features).Select(_ => random.NextDouble() * 2 - 1).ToArray(), examples, features);
        int[] labels = Enumerable.Range(0, examples).Select(i => i % classes).ToArray();
        ClassificationLoss<double> loss = softmax ? new SoftmaxCrossEntropyLoss<double>() : new MulticlassHingeLoss<double>();
        var network = new NeuralNetwork<double>([new AffineLayer<double>(features, classes, WeightInitialization.Scaled, scale)], loss, l2);
        network.Initialize(seed: 3);
        // Non-zero biases so their gradient is checked away from the trivial point.
        var bias = ((AffineLayer<double>)network.Layers[0]).Bias.Value;
        for (int i = 0; i < bias.Length; i++)
            bias[i] = scale * (random.NextDouble() - 0.5);
        return (network, x, labels);
    }
}
