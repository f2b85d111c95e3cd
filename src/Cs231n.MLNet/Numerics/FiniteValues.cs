using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// The finiteness check of a row of floats: every row read for training or for the mean image, every scored row and
/// its scores, every query's neighbour distances. Written out rather than <c>TensorPrimitives.IsFiniteAll</c>, whose
/// generic vector code runs unoptimised for a process's first thousands of rows, so that a first <c>Fit</c> or
/// <c>Transform</c> runs it fully optimised.
/// </summary>
internal static class FiniteValues
{
    /// <summary>Whether every value of <paramref name="row"/> is finite (neither NaN nor infinite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool All(ReadOnlySpan<float> row)
    {
        ref float x = ref MemoryMarshal.GetReference(row);
        int j = 0;
        // x − x is +0 for a finite x and NaN otherwise; the differences' bits are OR-ed over four vectors and tested once.
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j <= row.Length - 4 * Vector512<float>.Count; j += 4 * Vector512<float>.Count)
            {
                var v0 = Vector512.LoadUnsafe(ref x, (nuint)j);
                var v1 = Vector512.LoadUnsafe(ref x, (nuint)(j + Vector512<float>.Count));
                var v2 = Vector512.LoadUnsafe(ref x, (nuint)(j + 2 * Vector512<float>.Count));
                var v3 = Vector512.LoadUnsafe(ref x, (nuint)(j + 3 * Vector512<float>.Count));
                var bits = (v0 - v0).AsUInt32() | (v1 - v1).AsUInt32() | (v2 - v2).AsUInt32() | (v3 - v3).AsUInt32();
                if (bits != Vector512<uint>.Zero)
                    return false;
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= row.Length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref x, (nuint)j);
                if ((v - v).AsUInt32() != Vector256<uint>.Zero)
                    return false;
            }
        }
        for (; j < row.Length; j++)
        {
            if (!float.IsFinite(row[j]))
                return false;
        }
        return true;
    }
}
