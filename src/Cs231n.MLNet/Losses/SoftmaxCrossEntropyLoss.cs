using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace Cs231n.MLNet.Losses;

/// <summary>
/// Cross-entropy of softmax probabilities: L_i = −log(e^{s_y} / Σ_j e^{s_j}), computed after shifting the scores by
/// their maximum so no exponential overflows. Gradient: dL_i/ds_j = p_j − 1{j = y}.
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class SoftmaxCrossEntropyLoss<T> : ClassificationLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    /// <remarks>Plain loops over the few classes of a row, fully optimised from the first call (see <c>DenseMath</c>).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override T RowLossAndGradient(ReadOnlySpan<T> scores, int label, T scale, Span<T> gradient)
    {
        // A NaN score makes the maximum NaN, so that the loss reports the divergence.
        T max = scores[0];
        for (int j = 1; j < scores.Length; j++)
            max = T.Max(max, scores[j]);
        T sum = T.Zero;
        for (int j = 0; j < scores.Length; j++)
        {
            T e = T.Exp(scores[j] - max);
            gradient[j] = e;
            sum += e;
        }
        T factor = scale / sum;
        for (int j = 0; j < scores.Length; j++)
            gradient[j] *= factor;
        gradient[label] -= scale;
        return T.Log(sum) - (scores[label] - max);
    }

    /// <summary>Writes the softmax probabilities of <paramref name="scores"/> to <paramref name="probabilities"/> (may alias).</summary>
    public static void Probabilities(ReadOnlySpan<T> scores, Span<T> probabilities)
    {
        T max = TensorPrimitives.Max(scores);
        TensorPrimitives.Subtract(scores, max, probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        T sum = TensorPrimitives.Sum<T>(probabilities);
        TensorPrimitives.Multiply(probabilities, T.One / sum, probabilities);
    }
}
