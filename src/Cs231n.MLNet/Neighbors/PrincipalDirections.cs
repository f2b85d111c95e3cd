using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// The leading principal directions of a matrix of bytes, estimated on a fixed sample of rows by power iteration with
/// deflation. The 8-bit search uses them only to put similar rows and similar queries side by side (a few
/// milliseconds; an approximate direction serves as well, and no answer depends on it).
/// </summary>
internal static class PrincipalDirections
{
    private const int SampleRows = 2048, Iterations = 8;

    /// <summary>Up to <paramref name="count"/> unit directions, most variance first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[][] Of(byte[] rows, int rowCount, int dimension, int count)
    {
        int step = Math.Max(1, rowCount / SampleRows), samples = (rowCount + step - 1) / step;
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
        var directions = new float[count][];
        var next = new float[dimension];
        for (int d = 0; d < count; d++)
        {
            var direction = new float[dimension];
            direction.AsSpan().Fill(1f / MathF.Sqrt(dimension));
            if (d > 0)
                direction[d % dimension] = -direction[d % dimension]; // not parallel to the directions found
            for (int iteration = 0; iteration < Iterations; iteration++)
            {
                next.AsSpan().Clear();
                for (int s = 0; s < samples; s++)
                {
                    ReadOnlySpan<float> row = centred.AsSpan(s * dimension, dimension);
                    TensorPrimitives.MultiplyAdd(row, TensorPrimitives.Dot(row, direction), next, next);
                }
                // Deflation: keep the estimate orthogonal to the directions already found.
                for (int e = 0; e < d; e++)
                    TensorPrimitives.MultiplyAdd(directions[e], -TensorPrimitives.Dot(next, directions[e]), next, next);
                float norm = TensorPrimitives.Norm(next);
                if (!(norm > 0))
                    break;
                TensorPrimitives.Divide(next, norm, direction);
            }
            directions[d] = direction;
        }
        return directions;
    }

    /// <summary>The projections of a row of bytes on a direction (uncentred: only their order is used).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Project(ReadOnlySpan<byte> row, float[] direction)
    {
        Span<float> values = row.Length <= 4096 ? stackalloc float[row.Length] : new float[row.Length];
        TensorPrimitives.ConvertTruncating(row, values);
        return TensorPrimitives.Dot(values, direction);
    }

    /// <summary>Every row's projection on each direction: <c>result[d][r]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[][] ProjectAll(byte[] rows, int count, int dimension, float[][] directions)
    {
        var projections = new float[directions.Length][];
        for (int d = 0; d < directions.Length; d++)
            projections[d] = new float[count];
        var values = new float[dimension];
        for (int r = 0; r < count; r++)
        {
            TensorPrimitives.ConvertTruncating(rows.AsSpan(r * dimension, dimension), values);
            for (int d = 0; d < directions.Length; d++)
                projections[d][r] = TensorPrimitives.Dot(values, directions[d]);
        }
        return projections;
    }
}
