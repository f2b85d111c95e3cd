using System.Numerics.Tensors;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Training;

/// <summary>
/// The linear trainers' automatic learning rate: a step relative to the curvature of the data. The loss of a linear
/// model is smooth with a Lipschitz constant proportional to λ_max, the largest eigenvalue of the features' second
/// moment (1/n)·Σ x̃x̃ᵀ, where x̃ is the row with the bias's constant 1 appended (SAG and SDCA take their steps from the
/// same quantity, bounded by max‖x̃‖²). A step of η / λ_max means the same for pixels/255, min–max scaled or
/// standardised features.
/// </summary>
internal static class LinearStepSize
{
    private const int SampleRows = 2000;
    private const int Iterations = 20;

    /// <summary>λ_max of a fixed random sample of at most 2,000 rows, by power iteration.</summary>
    public static double LargestEigenvalue(LabeledDataset<float> data, int seed)
    {
        int d = data.FeatureCount;
        int[] rows = new SeededRandom(seed).Sample(Enumerable.Range(0, data.Count).ToArray(), SampleRows);
        // The sample, converted to double once: every iteration is then two vectorised passes over it.
        var sample = new double[rows.Length * d];
        for (int i = 0; i < rows.Length; i++)
        {
            ReadOnlySpan<float> x = data.Row(rows[i]);
            Span<double> target = sample.AsSpan(i * d, d);
            for (int j = 0; j < d; j++)
                target[j] = x[j];
        }
        var random = new SeededRandom(unchecked(seed + 1));
        var v = new double[d + 1];
        for (int j = 0; j <= d; j++)
            v[j] = 1.0 + 0.01 * random.NextDouble();
        var next = new double[d + 1];
        double eigenvalue = 0;
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            double norm = Math.Sqrt(TensorPrimitives.SumOfSquares<double>(v));
            TensorPrimitives.Divide(v, norm, v);
            Array.Clear(next);
            for (int i = 0; i < rows.Length; i++)
            {
                ReadOnlySpan<double> row = sample.AsSpan(i * d, d);
                double projection = TensorPrimitives.Dot(row, v.AsSpan(0, d)) + v[d];
                TensorPrimitives.MultiplyAdd(row, projection, next.AsSpan(0, d), next.AsSpan(0, d));
                next[d] += projection;
            }
            TensorPrimitives.Divide(next, rows.Length, next);
            eigenvalue = TensorPrimitives.Dot<double>(next, v);
            (v, next) = (next, v);
        }
        return Math.Max(eigenvalue, 1e-12);
    }
}
