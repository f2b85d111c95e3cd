using System.Numerics;
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
    protected override T RowLossAndGradient(ReadOnlySpan<T> scores, int label, T scale, Span<T> gradient)
    {
        T max = TensorPrimitives.Max(scores);
        TensorPrimitives.Subtract(scores, max, gradient);
        T shiftedTrue = gradient[label];
        TensorPrimitives.Exp(gradient, gradient);
        T sum = TensorPrimitives.Sum<T>(gradient);
        TensorPrimitives.Multiply(gradient, scale / sum, gradient);
        gradient[label] -= scale;
        return T.Log(sum) - shiftedTrue;
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
