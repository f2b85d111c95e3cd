using System.Numerics.Tensors;
using Cs231n.MLNet.Training;

namespace Cs231n.MLNet.Tests.Training;

/// <summary>The written-out passes over feature rows give the same values as the TensorPrimitives calls they replace.</summary>
[TestClass]
public sealed class FeatureRowPassesTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(8)]
    [DataRow(37)]
    [DataRow(784)]
    public void PassesMatchTensorPrimitivesBitForBit(int length)
    {
        var random = new Random(length);
        float[] Row() => [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 200 - 100))];
        float[] row = Row(), low = Row(), high = Row(), sum = Row(), centre = Row(), squares = Row(), reciprocal = Row();

        float[] expectedLow = [.. low], expectedHigh = [.. high], expectedSum = [.. sum];
        TensorPrimitives.Min(row, expectedLow, expectedLow);
        TensorPrimitives.Max(row, expectedHigh, expectedHigh);
        TensorPrimitives.Add(row, expectedSum, expectedSum);
        FeatureRowPasses.AddExtremesAndSum(row, low, high, sum);
        CollectionAssert.AreEqual(expectedLow, low, "minimum");
        CollectionAssert.AreEqual(expectedHigh, high, "maximum");
        CollectionAssert.AreEqual(expectedSum, sum, "sum");

        float[] centred = new float[length], expectedSquares = [.. squares];
        TensorPrimitives.Subtract(row, centre, centred);
        TensorPrimitives.MultiplyAdd(centred, centred, expectedSquares, expectedSquares);
        FeatureRowPasses.AddCentredSquares(row, centre, squares);
        CollectionAssert.AreEqual(expectedSquares, squares, "centred squares");

        float[] expectedStandard = [.. row], standard = [.. row];
        TensorPrimitives.Subtract(expectedStandard, centre, expectedStandard);
        TensorPrimitives.Multiply(expectedStandard, reciprocal, expectedStandard);
        FeatureRowPasses.Standardize(standard, centre, reciprocal);
        CollectionAssert.AreEqual(expectedStandard, standard, "standardised");
    }
}
