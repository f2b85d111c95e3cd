using System.Numerics.Tensors;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// The order in which the 8-bit search packs queries into panels: by their projection on the training rows' leading
/// principal direction. A panel then holds similar queries, so all of its queries tend to be far from the same
/// training rows and its tiles stop early together (<see cref="PartialSumChecks"/>). The order changes no answer:
/// each query's shortlist sees the training rows in the same order whatever panel it is in.
/// </summary>
internal static class QueryOrder
{
    private const int SampleRows = 2048, Iterations = 8;

    /// <summary>
    /// The leading principal direction of a fixed sample of the rows, by power iteration (a few milliseconds; an
    /// approximate direction serves as well, it only groups similar queries).
    /// </summary>
    public static float[] LeadingDirection(byte[] rows, int count, int dimension)
    {
        int step = Math.Max(1, count / SampleRows), samples = (count + step - 1) / step;
        var mean = new double[dimension];
        for (int s = 0; s < samples; s++)
        {
            ReadOnlySpan<byte> row = rows.AsSpan(s * step * dimension, dimension);
            for (int p = 0; p < dimension; p++)
                mean[p] += row[p];
        }
        var centred = new float[samples * dimension];
        for (int s = 0; s < samples; s++)
        {
            ReadOnlySpan<byte> row = rows.AsSpan(s * step * dimension, dimension);
            for (int p = 0; p < dimension; p++)
                centred[s * dimension + p] = (float)(row[p] - mean[p] / samples);
        }
        var direction = new float[dimension];
        direction.AsSpan().Fill(1f / MathF.Sqrt(dimension));
        var next = new float[dimension];
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            next.AsSpan().Clear();
            for (int s = 0; s < samples; s++)
            {
                ReadOnlySpan<float> row = centred.AsSpan(s * dimension, dimension);
                float projection = TensorPrimitives.Dot(row, direction);
                TensorPrimitives.MultiplyAdd(row, projection, next, next);
            }
            float norm = TensorPrimitives.Norm(next);
            if (!(norm > 0))
                break;
            TensorPrimitives.Divide(next, norm, direction);
        }
        return direction;
    }

    /// <summary>The positions of <paramref name="count"/> encoded queries sorted by their projection on <paramref name="direction"/>.</summary>
    public static int[] Sort(byte[] encoded, int count, int stride, float[] direction)
    {
        var keys = new (float Key, int Query)[count];
        int dimension = direction.Length;
        for (int q = 0; q < count; q++)
        {
            ReadOnlySpan<byte> x = encoded.AsSpan(q * stride, dimension);
            float key = 0;
            for (int p = 0; p < dimension; p++)
                key += x[p] * direction[p];
            keys[q] = (key, q);
        }
        Array.Sort(keys);
        return keys.Select(k => k.Query).ToArray();
    }
}
