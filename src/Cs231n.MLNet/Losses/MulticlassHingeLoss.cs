using System.Numerics;
using System.Numerics.Tensors;

namespace Cs231n.MLNet.Losses;

/// <summary>
/// Weston–Watkins multiclass hinge loss: L_i = Σ_{j≠y} max(0, s_j − s_y + Δ). Gradient: 1 for every class j ≠ y with a
/// positive margin, and minus the number of such classes for y.
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class MulticlassHingeLoss<T> : ClassificationLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _margin;

    /// <summary>Creates the loss with margin <paramref name="margin"/> (Δ, CS231n uses 1).</summary>
    public MulticlassHingeLoss(double margin = 1.0)
    {
        if (!(margin > 0 && double.IsFinite(margin)))
            throw new ArgumentOutOfRangeException(nameof(margin), margin, $"The hinge margin must be positive and finite; got {margin}.");
        Margin = margin;
        _margin = T.CreateChecked(margin);
    }

    /// <summary>The margin Δ.</summary>
    public double Margin { get; }

    /// <inheritdoc/>
    protected override T RowLossAndGradient(ReadOnlySpan<T> scores, int label, T scale, Span<T> gradient)
    {
        // Margins s_j − s_y + Δ, with the true class excluded, clipped at zero.
        TensorPrimitives.Add(scores, _margin - scores[label], gradient);
        gradient[label] = T.Zero;
        TensorPrimitives.Max(gradient, T.Zero, gradient);
        T loss = TensorPrimitives.Sum<T>(gradient);
        int violations = 0;
        for (int j = 0; j < gradient.Length; j++)
        {
            bool violated = gradient[j] > T.Zero;
            violations += violated ? 1 : 0;
            gradient[j] = violated ? scale : T.Zero;
        }
        gradient[label] = -T.CreateChecked(violations) * scale;
        return loss;
    }
}
