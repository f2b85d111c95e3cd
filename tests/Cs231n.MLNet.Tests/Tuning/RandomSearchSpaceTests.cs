using Cs231n.MLNet.Tuning;

namespace Cs231n.MLNet.Tests.Tuning;

[TestClass]
public sealed class RandomSearchSpaceTests
{
    [TestMethod]
    public void LogUniform_CoversEveryDecadeOfTheRange_AndIsReproducible()
    {
        var space = new RandomSearchSpace().AddLogUniform("learningRate", 1e-6, 1e-2).AddChoice("hidden", 50, 100).AddIntegerUniform("epochs", 1, 3);

        var settings = space.Sample(400, seed: 5);
        var rates = settings.Select(s => s.Get<double>("learningRate")).ToArray();

        CollectionAssert.AreEqual(rates, space.Sample(400, seed: 5).Select(s => s.Get<double>("learningRate")).ToArray());
        Assert.IsTrue(rates.All(r => r >= 1e-6 && r < 1e-2));
        var perDecade = rates.GroupBy(r => (int)Math.Floor(Math.Log10(r))).ToDictionary(g => g.Key, g => g.Count());
        CollectionAssert.AreEquivalent(new[] { -6, -5, -4, -3 }, perDecade.Keys.ToArray());
        Assert.IsTrue(perDecade.Values.All(n => n > 60), "a log-uniform draw puts about a quarter of 400 draws in each of 4 decades");
        CollectionAssert.AreEquivalent(new[] { 50, 100 }, settings.Select(s => s.Get<int>("hidden")).Distinct().ToArray());
        CollectionAssert.AreEquivalent(new[] { 1, 2, 3 }, settings.Select(s => s.Get<int>("epochs")).Distinct().ToArray());
    }

    [TestMethod]
    public void InvalidRanges_AreRejectedNamingTheParameter()
    {
        var space = new RandomSearchSpace();
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => space.AddLogUniform("l2", 0, 1)).Message, "log-uniform range of 'l2' must be positive");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => space.AddUniform("lr", 1, 1)).Message, "range of 'lr' is empty");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => space.AddIntegerUniform("k", 5, 1)).Message, "max 1 is below min 5");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => space.Sample(1, seed: 0)).Message, "search space is empty");
    }
}
