using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.Training;

/// <summary>
/// The element-wise passes over feature rows outside the networks: the two passes of <see cref="FeatureStatistics"/>
/// and the standardisation (the rows' finiteness check is <see cref="Numerics.FiniteValues"/>). Written out rather than taken from
/// TensorPrimitives so that they run fully optimised on the first <c>Fit</c> of a process: the library's generic
/// vector code starts unoptimised, and these passes then took about a fifth of a first one-epoch MLP <c>Fit</c>.
/// </summary>
/// <remarks>Each element goes through the same arithmetic in the vector and the scalar loops (no fused multiply-add), as
/// in the TensorPrimitives calls they replace.</remarks>
internal static class FeatureRowPasses
{
    /// <summary>Lowers <paramref name="minimum"/>, raises <paramref name="maximum"/> and adds to <paramref name="sum"/>, element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddExtremesAndSum(ReadOnlySpan<float> row, Span<float> minimum, Span<float> maximum, Span<float> sum)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float low = ref MemoryMarshal.GetReference(minimum);
        ref float high = ref MemoryMarshal.GetReference(maximum);
        ref float total = ref MemoryMarshal.GetReference(sum);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= row.Length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref x, (nuint)j);
                Vector256.Min(Vector256.LoadUnsafe(ref low, (nuint)j), v).StoreUnsafe(ref low, (nuint)j);
                Vector256.Max(Vector256.LoadUnsafe(ref high, (nuint)j), v).StoreUnsafe(ref high, (nuint)j);
                (Vector256.LoadUnsafe(ref total, (nuint)j) + v).StoreUnsafe(ref total, (nuint)j);
            }
        }
        for (; j < row.Length; j++)
        {
            minimum[j] = MathF.Min(minimum[j], row[j]);
            maximum[j] = MathF.Max(maximum[j], row[j]);
            sum[j] += row[j];
        }
    }

    /// <summary>Adds (x − <paramref name="centre"/>)² to <paramref name="squares"/>, element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddCentredSquares(ReadOnlySpan<float> row, ReadOnlySpan<float> centre, Span<float> squares)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float c = ref MemoryMarshal.GetReference(centre);
        ref float s = ref MemoryMarshal.GetReference(squares);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= row.Length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var d = Vector256.LoadUnsafe(ref x, (nuint)j) - Vector256.LoadUnsafe(ref c, (nuint)j);
                (d * d + Vector256.LoadUnsafe(ref s, (nuint)j)).StoreUnsafe(ref s, (nuint)j);
            }
        }
        for (; j < row.Length; j++)
        {
            float d = row[j] - centre[j];
            squares[j] = d * d + squares[j];
        }
    }

    /// <summary>Replaces every x of <paramref name="row"/> by (x − <paramref name="mean"/>) · <paramref name="reciprocal"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Standardize(Span<float> row, ReadOnlySpan<float> mean, ReadOnlySpan<float> reciprocal)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float m = ref MemoryMarshal.GetReference(mean);
        ref float r = ref MemoryMarshal.GetReference(reciprocal);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= row.Length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var v = (Vector256.LoadUnsafe(ref x, (nuint)j) - Vector256.LoadUnsafe(ref m, (nuint)j)) * Vector256.LoadUnsafe(ref r, (nuint)j);
                v.StoreUnsafe(ref x, (nuint)j);
            }
        }
        for (; j < row.Length; j++)
            row[j] = (row[j] - mean[j]) * reciprocal[j];
    }
}
