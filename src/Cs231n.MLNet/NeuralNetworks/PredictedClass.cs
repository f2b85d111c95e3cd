using System.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>The class a row of scores predicts.</summary>
internal static class PredictedClass
{
    /// <summary>Index of the highest score (the first one on ties).</summary>
    public static int Of<T>(ReadOnlySpan<T> scores) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
                best = i;
        }
        return best;
    }
}
