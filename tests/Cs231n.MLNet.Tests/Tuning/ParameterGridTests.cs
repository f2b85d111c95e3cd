using Cs231n.MLNet.Tuning;

namespace Cs231n.MLNet.Tests.Tuning;

[TestClass]
public sealed class ParameterGridTests
{
    [TestMethod]
    public void Settings_AreTheCartesianProduct_FirstParameterVaryingSlowest()
    {
        var grid = new ParameterGrid().Add("k", 1, 3, 5).Add("distance", KnnDistance.L1, KnnDistance.L2);

        var settings = grid.Settings();

        Assert.AreEqual(6, grid.Count);
        CollectionAssert.AreEqual(
            new[] { "k=1, distance=L1", "k=1, distance=L2", "k=3, distance=L1", "k=3, distance=L2", "k=5, distance=L1", "k=5, distance=L2" },
            settings.Select(s => s.ToString()).ToArray());
        Assert.AreEqual(5, settings[5].Get<int>("k"));
        Assert.AreEqual(KnnDistance.L2, settings[5].Get<KnnDistance>("distance"));
    }

    [TestMethod]
    public void Sample_DrawsDistinctSettingsReproducibly()
    {
        var grid = new ParameterGrid().Add("a", Enumerable.Range(0, 10).ToArray()).Add("b", Enumerable.Range(0, 10).ToArray());

        var first = grid.Sample(30, seed: 3).Select(s => s.ToString()).ToArray();
        var again = grid.Sample(30, seed: 3).Select(s => s.ToString()).ToArray();
        var other = grid.Sample(30, seed: 4).Select(s => s.ToString()).ToArray();

        CollectionAssert.AreEqual(first, again);
        CollectionAssert.AreNotEqual(first, other);
        Assert.AreEqual(30, first.Distinct().Count());
        CollectionAssert.AreEquivalent(grid.Settings().Select(s => s.ToString()).ToArray(), grid.Sample(100, seed: 1).Select(s => s.ToString()).ToArray());
    }

    [TestMethod]
    public void EmptyGrid_IsRejectedWithAClearMessage()
    {
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => new ParameterGrid().Settings());
        StringAssert.Contains(e.Message, "The parameter grid is empty");
    }

    [TestMethod]
    public void BadParameters_AreRejectedNamingTheParameter()
    {
        var grid = new ParameterGrid().Add("k", 1, 2);

        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => grid.Add("k", 3)).Message, "already has a parameter 'k'");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => grid.Add<int>("lr")).Message, "'lr' has no values");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => grid.Add("", 1)).Message, "must not be empty");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => grid.Sample(3, seed: 0)).Message, "between 1 and the grid size 2; got 3");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => grid.Sample(0, seed: 0)).Message, "got 0");
    }
}
