using System.Numerics.Tensors;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Tests.Engine;

/// <summary>The ReLU's written-out forward pass gives exactly what the library's IEEE 754 maximum gives.</summary>
[TestClass]
public sealed class ReluLayerTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(16)]
    [DataRow(37)]
    public void FloatForwardIsBitIdenticalToTheLibraryMaximum(int columns)
    {
        float[] specials = [float.NaN, -0f, 0f, float.NegativeInfinity, float.PositiveInfinity, float.Epsilon, -float.Epsilon, -1.5f, 2.25f];
        var random = new Random(columns);
        var input = new float[3 * columns];
        for (int i = 0; i < input.Length; i++)
            input[i] = i % 3 == 0 ? specials[random.Next(specials.Length)] : (float)(random.NextDouble() * 4 - 2);
        var expected = new float[input.Length];
        TensorPrimitives.Max(input, 0f, expected);

        var output = new ReluLayer<float>(columns).Forward(new Matrix<float>(input, 3, columns), training: true);

        CollectionAssert.AreEqual(expected.Select(BitConverter.SingleToInt32Bits).ToArray(),
            output.Span.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray());
    }

    [TestMethod]
    public void DoubleForwardIsBitIdenticalToTheLibraryMaximum()
    {
        double[] input = [double.NaN, -0.0, 0.0, -3, 3, double.NegativeInfinity, double.PositiveInfinity, -double.Epsilon, 1e-300, -7, 0.5];
        var expected = new double[input.Length];
        TensorPrimitives.Max(input, 0.0, expected);

        var output = new ReluLayer<double>(input.Length).Forward(new Matrix<double>(input, 1, input.Length), training: true);

        CollectionAssert.AreEqual(expected.Select(BitConverter.DoubleToInt64Bits).ToArray(),
            output.Span.ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray());
    }
}
