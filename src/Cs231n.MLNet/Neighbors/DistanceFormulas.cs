namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// The three distances of <see cref="KnnDistance"/> written out plainly, one coordinate at a time, in double
/// precision. This is the definition every fast path is held to: the searches rank their final answers with
/// <see cref="Distance"/>, and the tests compare every kernel against it.
/// </summary>
internal static class DistanceFormulas
{
    /// <summary>Manhattan distance: <c>Σ|xᵢ − yᵢ|</c>.</summary>
    public static double L1(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
            sum += Math.Abs((double)x[i] - y[i]);
        return sum;
    }

    /// <summary>Euclidean distance: <c>√Σ(xᵢ − yᵢ)²</c>.</summary>
    public static double L2(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = (double)x[i] - y[i];
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>Cosine distance: <c>1 − x·y / (‖x‖‖y‖)</c>, and 1 when either vector is zero (no direction).</summary>
    public static double Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double dot = 0, xx = 0, yy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            dot += (double)x[i] * y[i];
            xx += (double)x[i] * x[i];
            yy += (double)y[i] * y[i];
        }
        return xx == 0 || yy == 0 ? 1 : 1 - dot / Math.Sqrt(xx * yy);
    }

    /// <summary>The distance in double precision: finite for any finite x and y.</summary>
    public static double InDouble(ReadOnlySpan<float> x, ReadOnlySpan<float> y, KnnDistance distance) => distance switch
    {
        KnnDistance.L1 => L1(x, y),
        KnnDistance.L2 => L2(x, y),
        _ => Cosine(x, y),
    };

    /// <summary>
    /// The exact distance every answer is ranked by: double-precision accumulation, one rounding to float at the end.
    /// </summary>
    public static float Distance(ReadOnlySpan<float> x, ReadOnlySpan<float> y, KnnDistance distance)
        => (float)InDouble(x, y, distance);
}
