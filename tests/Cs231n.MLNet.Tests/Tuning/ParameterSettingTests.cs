using Cs231n.MLNet.Tuning;

namespace Cs231n.MLNet.Tests.Tuning;

[TestClass]
public sealed class ParameterSettingTests
{
    private static readonly ParameterSetting Setting = new ParameterGrid().Add("learningRate", 1e-3).Add("distance", KnnDistance.L1).Settings()[0];

    [TestMethod]
    public void Get_ConvertsBetweenNumericTypes()
    {
        Assert.AreEqual(1e-3f, Setting.Get<float>("learningRate"));
        Assert.AreEqual(1e-3, Setting.Get<double>("learningRate"));
        Assert.AreEqual("learningRate=0.001, distance=L1", Setting.ToString());
    }

    [TestMethod]
    public void Get_OfAMissingParameter_NamesTheParametersThatExist()
    {
        var e = Assert.ThrowsExactly<KeyNotFoundException>(() => Setting.Get<int>("k"));
        StringAssert.Contains(e.Message, "no parameter 'k'");
        StringAssert.Contains(e.Message, "learningRate, distance");
    }

    [TestMethod]
    public void Get_OfTheWrongType_SaysWhatTheValueIs()
    {
        var e = Assert.ThrowsExactly<InvalidCastException>(() => Setting.Get<int>("distance"));
        StringAssert.Contains(e.Message, "'distance' holds KnnDistance L1");
        StringAssert.Contains(e.Message, "cannot be read as Int32");
    }
}
