using System.Numerics;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Losses;

/// <summary>
/// A data loss over a minibatch of class scores: the mean over the N rows of a per-example loss, and its gradient with
/// respect to the N×C score matrix. Generic over the number type, so training (float) and gradient checks (double)
/// run the same code.
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public abstract class ClassificationLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Returns the mean loss of <paramref name="scores"/> (N×C) against <paramref name="labels"/> (N class indices in
    /// [0, C)) and writes dLoss/dScores into <paramref name="scoreGradient"/> (N×C).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree or a label is outside [0, C).</exception>
    public T Compute(Matrix<T> scores, ReadOnlySpan<int> labels, Matrix<T> scoreGradient)
    {
        int n = scores.Rows, c = scores.Columns;
        if (labels.Length != n)
            throw new ArgumentException($"Expected one label per score row ({n}); got {labels.Length}.", nameof(labels));
        if (scoreGradient.Rows != n || scoreGradient.Columns != c)
            throw new ArgumentException($"The score gradient must be {n}×{c}; got {scoreGradient.Rows}×{scoreGradient.Columns}.", nameof(scoreGradient));
        if (n == 0)
            throw new ArgumentException("The minibatch is empty.", nameof(scores));
        T total = T.Zero;
        T scale = T.One / T.CreateChecked(n);
        for (int i = 0; i < n; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)c)
                throw new ArgumentException($"Label {label} of row {i} is outside [0, {c}).", nameof(labels));
            total += RowLossAndGradient(scores.Row(i), label, scale, scoreGradient.Row(i));
        }
        return total * scale;
    }

    /// <summary>
    /// The loss of one row of scores with true class <paramref name="label"/>; writes <paramref name="scale"/> times its
    /// gradient into <paramref name="gradient"/>.
    /// </summary>
    protected abstract T RowLossAndGradient(ReadOnlySpan<T> scores, int label, T scale, Span<T> gradient);
}
