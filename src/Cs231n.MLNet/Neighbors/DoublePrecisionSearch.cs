namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// The k nearest rows of one query ranked in double precision, for the queries whose single-precision search
/// overflowed: finite but extreme features (near ±3.4e38) whose distances exceed the float range come out as ∞,
/// and a list of equal infinities ranks nothing. Ordinary queries never come here.
/// </summary>
internal static class DoublePrecisionSearch
{
    /// <summary>
    /// Fills <paramref name="indices"/> and <paramref name="distances"/> with the k nearest rows (equal distances:
    /// smaller row first). The distances are divided by one common power of two where needed to fit in single
    /// precision, which keeps their order and ratios, and so the votes they weigh.
    /// </summary>
    public static void Search(ReadOnlySpan<float> rows, int count, int dimension, KnnDistance distance, ReadOnlySpan<float> query,
        Span<int> indices, Span<float> distances)
    {
        int k = indices.Length;
        var best = new double[k];
        int filled = 0;
        for (int r = 0; r < count; r++)
        {
            double d = DistanceFormulas.InDouble(query, rows.Slice(r * dimension, dimension), distance);
            if (filled == k && !(d < best[k - 1]))
                continue;
            int position = filled < k ? filled++ : k - 1;
            while (position > 0 && d < best[position - 1])
            {
                best[position] = best[position - 1];
                indices[position] = indices[position - 1];
                position--;
            }
            best[position] = d;
            indices[position] = r;
        }
        double scale = Scoring.SinglePrecisionRange.ScaleIntoRange(best.Max());
        for (int j = 0; j < k; j++)
            distances[j] = (float)(best[j] * scale);
    }
}
