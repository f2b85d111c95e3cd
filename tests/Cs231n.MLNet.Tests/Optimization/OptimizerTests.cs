using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Tests.Engine;

/// <summary>One update of every rule from w = (1, −2), dw = (0.5, 0.25), lr = 0.1, computed by hand.</summary>
[TestClass]
public sealed class OptimizerTests
{
    private static readonly double[] Gradient = [0.5, 0.25];

    [TestMethod]
    public void SgdStep() => AssertStep(new SgdOptimizer<double>(), [0.95, -2.025]);

    [TestMethod]
    public void MomentumSteps()
    {
        // v = −0.1·dw = (−0.05, −0.025); w += v.
        var state = AssertStep(new MomentumOptimizer<double>(0.9), [0.95, -2.025], out double[] w, out var optimizer);
        // Second step: v = 0.9·(−0.05, −0.025) − 0.1·dw = (−0.095, −0.0475).
        optimizer.Update(w, Gradient, state, 0.1);
        AssertClose([0.855, -2.0725], w);
    }

    [TestMethod]
    public void NesterovStep()
        // v = (−0.05, −0.025); w += −0.9·0 + 1.9·v.
        => AssertStep(new NesterovOptimizer<double>(0.9), [1 - 0.095, -2 - 0.0475]);

    [TestMethod]
    public void RmsPropStep()
        // cache = 0.01·dw² = (0.0025, 0.000625); w −= 0.1·dw/(√cache + 1e-8) = 0.1·(0.5/0.05000001, 0.25/0.02500001).
        => AssertStep(new RmsPropOptimizer<double>(0.99, 1e-8), [1 - 0.05 / 0.05000001, -2 - 0.025 / 0.02500001]);

    [TestMethod]
    public void AdamStep()
        // m = 0.1·dw, v = 0.001·dw²; m̂ = dw, v̂ = dw²; w −= 0.1·dw/(|dw| + 1e-8).
        => AssertStep(new AdamOptimizer<double>(0.9, 0.999, 1e-8), [1 - 0.05 / 0.50000001, -2 - 0.025 / 0.25000001]);

    [TestMethod]
    public void AdamCountsStepsForBiasCorrection()
    {
        var adam = new AdamOptimizer<double>();
        var state = adam.CreateState(1);
        double[] w = [0];
        adam.Update(w, [1.0], state, 0.01);
        adam.Update(w, [1.0], state, 0.01);
        // With a constant gradient the bias-corrected moments are exactly the gradient: each step moves by lr.
        Assert.AreEqual(2, state.Step);
        Assert.AreEqual(-0.02, w[0], 1e-9);
    }

    [TestMethod]
    public void FloatRulesMatchDoubleRules()
    {
        // The vector path (many values) and the scalar tail agree with the double computation.
        var random = new Random(3);
        float[] w = Enumerable.Range(0, 37).Select(_ => (float)random.NextDouble()).ToArray();
        float[] g = Enumerable.Range(0, 37).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        double[] wd = w.Select(v => (double)v).ToArray();
        double[] gd = g.Select(v => (double)v).ToArray();
        var single = new AdamOptimizer<float>();
        var dual = new AdamOptimizer<double>();
        var s1 = single.CreateState(37);
        var s2 = dual.CreateState(37);
        for (int step = 0; step < 3; step++)
        {
            single.Update(w, g, s1, 0.01f);
            dual.Update(wd, gd, s2, 0.01);
        }
        for (int i = 0; i < 37; i++)
            Assert.AreEqual(wd[i], w[i], 1e-5, $"w[{i}]");
    }

    [TestMethod]
    public void TinyMomentsAreFlushedToZero()
    {
        var momentum = new MomentumOptimizer<float>(0.5);
        var state = momentum.CreateState(20);
        float[] w = new float[20];
        float[] g = new float[20];
        state.First.AsSpan().Fill(1e-35f);
        momentum.Update(w, g, state, 0.1f);
        Assert.IsTrue(state.First.All(v => v == 0), "velocities below 1e-30 become exactly zero");
    }

    [TestMethod]
    public void BadOptimizerSettingsAreReported()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MomentumOptimizer<float>(1.0)).Message, "momentum must be in [0, 1); got 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdamOptimizer<float>(beta2: -0.1)).Message, "beta2 must be in [0, 1); got -0.1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SgdOptimizer<float>().Update(new float[3], new float[2], new OptimizerState<float>(3, 0), 0.1f)).Message,
            "Parameters (3), gradients (2) and optimiser state (3) must have the same length");
    }

    [TestMethod]
    public void SchedulesDecayAsDocumented()
    {
        Assert.AreEqual(0.1, LearningRateSchedule.Constant.LearningRate(0.1, 7));
        Assert.AreEqual(0.1 * 0.25, LearningRateSchedule.StepDecay(3, 0.5).LearningRate(0.1, 7), 1e-15);
        Assert.AreEqual(0.1 * Math.Pow(0.95, 4), LearningRateSchedule.ExponentialDecay(0.95).LearningRate(0.1, 4), 1e-15);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LearningRateSchedule.ExponentialDecay(1.5)).Message, "must be in (0, 1]; got 1.5");
    }

    private static void AssertStep(Optimizer<double> optimizer, double[] expected)
        => AssertStep(optimizer, expected, out _, out _);

    private static OptimizerState<double> AssertStep(Optimizer<double> optimizer, double[] expected, out double[] w, out Optimizer<double> used)
    {
        w = [1, -2];
        var state = optimizer.CreateState(2);
        optimizer.Update(w, Gradient, state, 0.1);
        AssertClose(expected, w);
        used = optimizer;
        return state;
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], 1e-12, $"w[{i}]");
    }
}
