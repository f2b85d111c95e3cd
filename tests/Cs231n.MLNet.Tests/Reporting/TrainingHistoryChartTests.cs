using Cs231n.MLNet.Reporting;

namespace Cs231n.MLNet.Tests.Reporting;

[TestClass]
public sealed class TrainingHistoryChartTests
{
    private static float[] NoisyDecreasingLoss(int iterations)
    {
        var random = new Random(1);
        return Enumerable.Range(0, iterations).Select(i => (float)(2.3 * Math.Exp(-i / 300.0) + 0.4 + 0.25 * (random.NextDouble() - 0.5))).ToArray();
    }

    [TestMethod]
    public void Save_StacksLossAndAccuracyPanels()
    {
        var train = Enumerable.Range(1, 10).Select(e => 0.5f + 0.04f * e).ToArray();
        var validation = Enumerable.Range(1, 10).Select(e => 0.5f + 0.03f * e - 0.001f * e * e).ToArray();
        var path = Path.Combine(PngAssert.OutputFolder, "training-history.png");

        TrainingHistoryChart.Save(path, NoisyDecreasingLoss(1500), train, validation, new TrainingHistoryChartOptions { Title = "Softmax training history" });

        using var bitmap = PngAssert.IsValidPng(path, minWidth: 900, minHeight: 800, maxSide: 900);
        Assert.AreEqual(800, bitmap.Height);
    }

    [TestMethod]
    public void Save_WithoutAccuracy_DrawsTheLossAlone_EvenWithDivergedSteps()
    {
        var loss = NoisyDecreasingLoss(200);
        loss[50] = float.NaN;
        loss[51] = float.PositiveInfinity;
        var path = Path.Combine(PngAssert.OutputFolder, "loss-only.png");

        TrainingHistoryChart.Save(path, loss, options: new TrainingHistoryChartOptions { Height = 400, SmoothingWindow = 10 });

        using var bitmap = PngAssert.IsValidPng(path);
        Assert.AreEqual(400, bitmap.Height);
    }

    [TestMethod]
    public void BadInput_IsRejected()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TrainingHistoryChart.Render([])).Message, "The 'lossHistory' is empty");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            TrainingHistoryChart.Render([1f], options: new TrainingHistoryChartOptions { SmoothingWindow = -1 })).Message, "'SmoothingWindow' option must be 0 (automatic) or positive; got -1");
    }
}
