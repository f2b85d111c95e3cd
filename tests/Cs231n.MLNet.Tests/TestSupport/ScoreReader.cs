using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.TestSupport;

public static class ScoreReader
{
    /// <summary>Every Score vector of a scored data view, in row order.</summary>
    public static List<float[]> Scores(IDataView scored, string column = "Score")
        => scored.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToList();

    public static List<uint> PredictedKeys(IDataView scored, string column = "PredictedLabel")
        => scored.GetColumn<uint>(column).ToList();

    /// <summary>Asserts that two lists of score vectors are identical bit for bit.</summary>
    public static void AssertBitIdentical(IReadOnlyList<float[]> expected, IReadOnlyList<float[]> actual)
    {
        Assert.AreEqual(expected.Count, actual.Count, "row count");
        for (int r = 0; r < expected.Count; r++)
        {
            Assert.AreEqual(expected[r].Length, actual[r].Length, $"score length of row {r}");
            for (int j = 0; j < expected[r].Length; j++)
            {
                Assert.AreEqual(BitConverter.SingleToInt32Bits(expected[r][j]), BitConverter.SingleToInt32Bits(actual[r][j]),
                    $"row {r}, class {j}: {expected[r][j]} vs {actual[r][j]}");
            }
        }
    }
}
