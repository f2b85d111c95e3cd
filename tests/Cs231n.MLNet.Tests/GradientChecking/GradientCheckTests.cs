using Cs231n.MLNet.GradientChecking;

namespace Cs231n.MLNet.Tests.Engine;

[TestClass]
public sealed class GradientCheckTests
{
    [TestMethod]
    public void NumericalGradientOfKnownFunction()
    {
        // f(x) = x0² + 3·x0·x1 + sin(x2): ∇f = (2x0 + 3x1, 3x0, cos x2).
        double[] x = [1.5, -2, 0.3];
        double[] numerical = GradientCheck.NumericalGradient(p => p[0] * p[0] + 3 * p[0] * p[1] + Math.Sin(p[2]), x);
        Assert.AreEqual(-3, numerical[0], 1e-8);
        Assert.AreEqual(4.5, numerical[1], 1e-8);
        Assert.AreEqual(Math.Cos(0.3), numerical[2], 1e-8);
        CollectionAssert.AreEqual(new[] { 1.5, -2, 0.3 }, x, "the parameters are restored");
    }

    [TestMethod]
    public void FourthOrderFormulaIsMoreAccurate()
    {
        // f = e^{3x} at x = 0.2: f' = 3e^{0.6}.
        double exact = 3 * Math.Exp(0.6);
        double twoPoint = GradientCheck.NumericalGradient(p => Math.Exp(3 * p[0]), [0.2])[0];
        double fivePoint = GradientCheck.NumericalGradient(p => Math.Exp(3 * p[0]), [0.2], formula: FiniteDifference.CentredFourthOrder)[0];
        Assert.IsLessThan(1e-9, GradientCheck.RelativeError(exact, twoPoint));
        Assert.IsLessThan(1e-11, GradientCheck.RelativeError(exact, fivePoint));
    }

    [TestMethod]
    public void RelativeErrorDefinition()
    {
        Assert.AreEqual(0, GradientCheck.RelativeError(0, 0));
        Assert.AreEqual(1, GradientCheck.RelativeError(0, 1e-12));
        Assert.AreEqual(0.5, GradientCheck.RelativeError(1, 2), 1e-15);
        Assert.AreEqual(2, GradientCheck.RelativeError(-1, 1), 1e-15);
    }

    [TestMethod]
    public void CheckFindsTheWrongCoordinate()
    {
        double[] x = [1, 2, 3, 4];
        double[] wrongGradient = [2, 4, 6.6, 8];
        var result = GradientCheck.Check(p => p.Sum(v => v * v), x, wrongGradient);
        Assert.AreEqual(2, result.WorstIndex);
        Assert.AreEqual(0.6 / 6.6, result.MaxRelativeError, 1e-8);
        Assert.AreEqual(4, result.CheckedCount);
    }

    [TestMethod]
    public void SparseCheckSamplesCoordinates()
    {
        // f = Σ sin(xᵢ): each coordinate's derivative is cos(xᵢ), independent of the others.
        double[] x = Enumerable.Range(0, 1000).Select(i => i / 1000.0).ToArray();
        double[] gradient = x.Select(Math.Cos).ToArray();
        var result = GradientCheck.CheckSparse(p => p.Sum(Math.Sin), x, gradient, samples: 20, seed: 5);
        Assert.AreEqual(20, result.CheckedCount);
        Assert.IsLessThanOrEqualTo(1e-7, result.MaxRelativeError, result.ToString());
        gradient[result.WorstIndex] *= 1.01;
        var wrong = GradientCheck.CheckSparse(p => p.Sum(Math.Sin), x, gradient, samples: 20, seed: 5);
        Assert.AreEqual(result.WorstIndex, wrong.WorstIndex, "the same seed samples the same coordinates");
        Assert.IsGreaterThan(0.009, wrong.MaxRelativeError);
    }

    [TestMethod]
    public void BadArgumentsAreReported()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => GradientCheck.Check(p => p[0], [1.0, 2.0], [1.0]));
        StringAssert.Contains(error.Message, "analytic gradient has 1 values but there are 2 parameters");
        var stepError = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => GradientCheck.NumericalGradient(p => p[0], [1.0], step: 0));
        StringAssert.Contains(stepError.Message, "step must be positive; got 0");
    }
}
