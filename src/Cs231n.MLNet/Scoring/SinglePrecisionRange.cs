namespace Cs231n.MLNet.Scoring;

/// <summary>
/// The learned state that single-precision scoring cannot handle, refused at <c>Fit</c> and at load with a message
/// rather than scored into NaN: linear or network weights under which an input of unit magnitude already overflows
/// (a row of a weight matrix whose absolute values sum beyond 3.4e38), and kNN training rows so large that distances
/// to them overflow (a squared norm beyond a quarter of 3.4e38, i.e. values beyond about 9e18).
/// </summary>
internal static class SinglePrecisionRange
{
    /// <summary>Largest squared norm of a memorised kNN row: ‖x‖² + ‖y‖² must stay finite in single precision.</summary>
    public const double MaxSquaredRowNorm = float.MaxValue / 4.0;

    /// <summary>
    /// 1, or the power of two that brings <paramref name="largest"/> (a magnitude computed in double precision) into the
    /// single-precision range: dividing a row of scores or distances by one power of two keeps their order and ratios.
    /// </summary>
    public static double ScaleIntoRange(double largest)
        => largest > float.MaxValue ? Math.ScaleB(1.0, -(Math.ILogB(largest / float.MaxValue) + 1)) : 1.0;

    /// <summary>What makes <paramref name="model"/> unscorable in single precision, or null.</summary>
    public static string? Problem(Cs231nModelParameters model) => model switch
    {
        LinearClassifierModelParameters linear => WeightProblem("the weights", linear.Weights.Span, linear.Bias.Span, linear.FeatureCount),
        MultilayerPerceptronModelParameters mlp => Enumerable.Range(0, mlp.Weights.Count)
            .Select(l => WeightProblem($"the weights of layer {l}", mlp.Weights[l].Span, mlp.Biases[l].Span, mlp.LayerSizes[l]))
            .FirstOrDefault(p => p != null),
        KNearestNeighborsModelParameters knn => RowProblem(knn.TrainingFeatures.Span, knn.FeatureCount),
        _ => null,
    };

    /// <summary>The first row of <paramref name="rows"/> whose squared norm exceeds <see cref="MaxSquaredRowNorm"/>, described; or null.</summary>
    public static string? RowProblem(ReadOnlySpan<float> rows, int featureCount)
    {
        for (int r = 0; r * featureCount < rows.Length; r++)
        {
            ReadOnlySpan<float> row = rows.Slice(r * featureCount, featureCount);
            double squaredNorm = 0, largest = 0;
            foreach (float value in row)
            {
                squaredNorm += (double)value * value;
                largest = Math.Max(largest, Math.Abs(value));
            }
            if (squaredNorm > MaxSquaredRowNorm)
                return $"row {r} has values up to {largest:G3} (squared norm {squaredNorm:G3}); kNN distances to it overflow single precision";
        }
        return null;
    }

    private static string? WeightProblem(string what, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int inputs)
    {
        for (int unit = 0; unit < bias.Length; unit++)
        {
            double sum = Math.Abs(bias[unit]);
            foreach (float w in weights.Slice(unit * inputs, inputs))
                sum += Math.Abs(w);
            if (sum > float.MaxValue)
                return $"{what} of unit {unit} sum to {sum:G3} in absolute value, so an input of magnitude 1 already overflows single precision";
        }
        return null;
    }
}
