using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Tests.Numerics;

[TestClass]
public sealed class FiniteValuesTests
{
    [TestMethod]
    public void AllFiniteFindsANonFiniteValueAnywhere()
    {
        foreach (int length in new[] { 1, 8, 13, 784 })
        {
            var row = new float[length];
            Assert.IsTrue(FiniteValues.All(row), $"zeros, length {length}");
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            {
                foreach (int at in new[] { 0, length / 2, length - 1 })
                {
                    row[at] = bad;
                    Assert.IsFalse(FiniteValues.All(row), $"{bad} at {at} of {length}");
                    row[at] = float.MaxValue;
                    Assert.IsTrue(FiniteValues.All(row), $"float.MaxValue at {at} of {length}");
                }
            }
        }
    }
}
