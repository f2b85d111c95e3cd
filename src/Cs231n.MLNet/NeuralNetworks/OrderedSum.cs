using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// Sums whose order of additions depends only on the length, never on where the span sits in memory: vector lanes
/// from index 0, then the lanes, then the tail. (Library reductions may peel an unaligned head, so their result can
/// change when the garbage collector moves an array; training must not.) Compiled fully optimised from the first
/// call, since training calls them every step from the first.
/// </summary>
internal static class OrderedSum
{
    /// <summary>Σ x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T total = T.Zero;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && x.Length >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
                acc += new Vector<T>(x[i..]);
            total = Vector.Sum(acc);
        }
        for (; i < x.Length; i++)
            total += x[i];
        return total;
    }

    /// <summary>Σ x·y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T total = T.Zero;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && x.Length >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
                acc += new Vector<T>(x[i..]) * new Vector<T>(y[i..]);
            total = Vector.Sum(acc);
        }
        for (; i < x.Length; i++)
            total += x[i] * y[i];
        return total;
    }
}
