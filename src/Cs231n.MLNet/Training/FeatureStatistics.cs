using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Training;

/// <summary>
/// Per-feature minimum, maximum, mean and standard deviation of a training set, in two vectorised passes: what the
/// scale warning and the internal standardisation both need.
/// </summary>
internal sealed class FeatureStatistics
{
    /// <summary>Rows summed in single precision before the block's sum is added to the double-precision total.</summary>
    private const int BlockRows = 64;

    private FeatureStatistics(float[] minimum, float[] maximum, double[] mean, double[] deviation)
    {
        Minimum = minimum;
        Maximum = maximum;
        Mean = mean;
        Deviation = deviation;
    }

    public float[] Minimum { get; }
    public float[] Maximum { get; }
    public double[] Mean { get; }

    /// <summary>The population standard deviation (1/n), measured around the mean in a second pass.</summary>
    public double[] Deviation { get; }

    /// <summary>max − min of every feature.</summary>
    public double[] Ranges() => Minimum.Select((m, j) => (double)Maximum[j] - m).ToArray();

    /// <summary>The statistics of <paramref name="data"/>, measured on first use and kept with it.</summary>
    public static FeatureStatistics Of(LabeledDataset<float> data) => data.CachedStatistics ??= Measure(data);

    private static FeatureStatistics Measure(LabeledDataset<float> data)
    {
        int d = data.FeatureCount, n = data.Count;
        var minimum = data.Row(0).ToArray();
        var maximum = data.Row(0).ToArray();
        var sum = new double[d];
        var block = new float[d];
        // First pass: extremes and sums. Single-precision sums over short blocks, folded into doubles, keep the
        // rounding error far below anything the standardisation could notice.
        for (int start = 0; start < n; start += BlockRows)
        {
            Array.Clear(block);
            int end = Math.Min(n, start + BlockRows);
            for (int i = start; i < end; i++)
                FeatureRowPasses.AddExtremesAndSum(data.Row(i), minimum, maximum, block);
            for (int j = 0; j < d; j++)
                sum[j] += block[j];
        }
        var mean = new double[d];
        var centre = new float[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] = sum[j] / n;
            centre[j] = (float)mean[j];
        }
        // Second pass on the centred values: no cancellation when |μ| ≫ σ (a year, a price).
        var squares = new double[d];
        for (int start = 0; start < n; start += BlockRows)
        {
            Array.Clear(block);
            int end = Math.Min(n, start + BlockRows);
            for (int i = start; i < end; i++)
                FeatureRowPasses.AddCentredSquares(data.Row(i), centre, block);
            for (int j = 0; j < d; j++)
                squares[j] += block[j];
        }
        var deviation = new double[d];
        for (int j = 0; j < d; j++)
            deviation[j] = Math.Sqrt(squares[j] / n);
        return new FeatureStatistics(minimum, maximum, mean, deviation);
    }
}
