using System.Runtime.Intrinsics;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Tests.Numerics;

[TestClass]
public sealed unsafe class RegisterTransposeTests
{
    [TestMethod]
    public void Transpose16MovesEveryValueToItsTransposedPlace()
    {
        if (!RegisterTranspose.IsSupported)
            Assert.Inconclusive("AVX-512 is not available on this processor.");
        const int stride = 19; // rows further apart than 16, as a caller's tile rows may be
        var source = new float[16 * stride];
        for (int i = 0; i < source.Length; i++)
            source[i] = i * 1.5f - 7;
        var columns = new Vector512<float>[16];
        fixed (float* s = source)
        fixed (Vector512<float>* c = columns)
            RegisterTranspose.Transpose16(s, stride, c);
        for (int j = 0; j < 16; j++)
        {
            for (int i = 0; i < 16; i++)
                Assert.AreEqual(source[i * stride + j], columns[j][i], $"column {j}, row {i}");
        }
    }
}
