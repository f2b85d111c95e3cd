using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Tests.Engine;

/// <summary>The element-wise passes of a training step against plain loops, over lengths that leave vector tails.</summary>
[TestClass]
public sealed class DenseMathTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(31)]
    [DataRow(32)]
    [DataRow(45)]
    [DataRow(512)]
    public void SumRowsAddsOrReplacesInRowOrder(int columns)
    {
        const int rows = 7;
        var random = new Random(columns);
        float[] matrix = Enumerable.Range(0, rows * columns).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] start = Enumerable.Range(0, columns).Select(_ => (float)random.NextDouble()).ToArray();
        foreach (bool accumulate in new[] { true, false })
        {
            float[] sums = (float[])start.Clone();
            DenseMath.SumRows<float>(matrix, rows, sums, accumulate);
            for (int j = 0; j < columns; j++)
            {
                float expected = accumulate ? start[j] : 0f;
                for (int i = 0; i < rows; i++)
                    expected += matrix[i * columns + j];
                Assert.AreEqual(expected, sums[j], $"column {j}, accumulate {accumulate}");
            }
        }
    }

    [TestMethod]
    [DataRow(5)]
    [DataRow(16)]
    [DataRow(37)]
    [DataRow(200)]
    public void ReluAndItsGradientMatchTheDefinition(int length)
    {
        var random = new Random(length);
        float[] x = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] dy = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        x[length / 2] = float.NaN;
        float[] y = new float[length];
        float[] dx = new float[length];
        DenseMath.Relu<float>(x, y);
        DenseMath.ReluGradient<float>(y, dy, dx);
        for (int i = 0; i < length; i++)
        {
            if (float.IsNaN(x[i]))
            {
                Assert.IsTrue(float.IsNaN(y[i]), "a NaN input stays NaN, so divergence shows in the loss");
                Assert.AreEqual(0f, dx[i]);
                continue;
            }
            Assert.AreEqual(Math.Max(x[i], 0f), y[i], $"y[{i}]");
            Assert.AreEqual(x[i] > 0 ? dy[i] : 0f, dx[i], $"dx[{i}]");
        }
    }
}
