using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Tests.Numerics;

[TestClass]
public sealed class SideBySideGemmTests
{
    /// <summary>A fully connected layer's backward products: dW += doutᵀ·x (200×300, depth 96) and dx = dout·W (96×300, depth 200).</summary>
    [TestMethod]
    public unsafe void LayerBackwardProductsMatchTheDoubleLoopAndAreIdenticalForOneAndTwoThreads()
    {
        const int rows = 96, inputs = 300, outputs = 200;
        var random = new Random(21);
        float[] dout = Values(random, rows * outputs), x = Values(random, rows * inputs), w = Values(random, outputs * inputs);
        float[] dwStart = Values(random, outputs * inputs);
        Assert.IsTrue(SideBySideGemm.Suits(outputs, inputs, rows, rows, inputs, outputs));

        (float[] Dw, float[] Dx) Run(int threads)
        {
            using var scope = new NumericsSettingsScope(threads: threads);
            float[] dw = (float[])dwStart.Clone(), dx = new float[rows * inputs];
            Array.Fill(dx, float.NaN); // overwritten (beta = 0)
            var gemm = new SideBySideGemm();
            fixed (float* pd = dout, px = x, pw = w, pdw = dw, pdx = dx)
            {
                gemm.Set(0, true, false, outputs, inputs, rows, 1f, pd, outputs, px, inputs, 1f, pdw, inputs);
                gemm.Set(1, false, false, rows, inputs, outputs, 1f, pd, outputs, pw, inputs, 0f, pdx, inputs);
                gemm.Run();
            }
            return (dw, dx);
        }

        var one = Run(1);
        var two = Run(2);
        CollectionAssert.AreEqual(one.Dw, two.Dw);
        CollectionAssert.AreEqual(one.Dx, two.Dx);
        for (int i = 0; i < outputs; i += 7)
        {
            for (int j = 0; j < inputs; j += 5)
            {
                double sum = dwStart[i * inputs + j], magnitude = Math.Abs(sum);
                for (int p = 0; p < rows; p++)
                {
                    sum += (double)dout[p * outputs + i] * x[p * inputs + j];
                    magnitude += Math.Abs((double)dout[p * outputs + i] * x[p * inputs + j]);
                }
                Assert.AreEqual(sum, two.Dw[i * inputs + j], 2 * (rows + 2) * Math.Pow(2, -24) * magnitude, $"dW[{i},{j}]");
            }
        }
        for (int i = 0; i < rows; i += 3)
        {
            for (int j = 0; j < inputs; j += 5)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < outputs; p++)
                {
                    sum += (double)dout[i * outputs + p] * w[p * inputs + j];
                    magnitude += Math.Abs((double)dout[i * outputs + p] * w[p * inputs + j]);
                }
                Assert.AreEqual(sum, two.Dx[i * inputs + j], 2 * (outputs + 2) * Math.Pow(2, -24) * magnitude, $"dx[{i},{j}]");
            }
        }
    }

    private static float[] Values(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
