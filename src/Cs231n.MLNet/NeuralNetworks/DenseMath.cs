using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// The element-wise passes of a training step over activations: bias-gradient row sums and the rectifier, forward and
/// backward. Written out rather than taken from TensorPrimitives so that they run fully optimised from the first call
/// (a library's generic vector code starts out unoptimised and waits for the runtime to recompile it, which costs the
/// first Fit of a process a large share of its time), with 512-bit vectors where the processor has them.
/// </summary>
/// <remarks>Every element goes through the same arithmetic in the vector and the scalar loops, so results do not depend
/// on where an array's vector part ends.</remarks>
internal static class DenseMath
{
    /// <summary>
    /// Sums the <paramref name="rows"/> rows of the row-major <paramref name="matrix"/> (<c>sums.Length</c> columns)
    /// into <paramref name="sums"/>, adding to its values when <paramref name="accumulate"/> and replacing them otherwise.
    /// Each sum runs over the rows in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumRows<T>(ReadOnlySpan<T> matrix, int rows, Span<T> sums, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int columns = sums.Length;
        ref T m = ref MemoryMarshal.GetReference(matrix);
        ref T s = ref MemoryMarshal.GetReference(sums);
        int j = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; j <= columns - 2 * Vector512<T>.Count; j += 2 * Vector512<T>.Count)
            {
                // Two independent chains, so the adds of one fill the latency of the other's.
                var s0 = accumulate ? Vector512.LoadUnsafe(ref s, (nuint)j) : Vector512<T>.Zero;
                var s1 = accumulate ? Vector512.LoadUnsafe(ref s, (nuint)(j + Vector512<T>.Count)) : Vector512<T>.Zero;
                for (int i = 0; i < rows; i++)
                {
                    nuint at = (nuint)((long)i * columns + j);
                    s0 += Vector512.LoadUnsafe(ref m, at);
                    s1 += Vector512.LoadUnsafe(ref m, at + (nuint)Vector512<T>.Count);
                }
                s0.StoreUnsafe(ref s, (nuint)j);
                s1.StoreUnsafe(ref s, (nuint)(j + Vector512<T>.Count));
            }
        }
        for (; j < columns; j++)
        {
            T sum = accumulate ? sums[j] : T.Zero;
            for (int i = 0; i < rows; i++)
                sum += matrix[i * columns + j];
            sums[j] = sum;
        }
    }

    /// <summary>Writes <c>max(input, 0)</c> to <paramref name="output"/> (NaN stays NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu<T>(ReadOnlySpan<T> input, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x = ref MemoryMarshal.GetReference(input);
        ref T y = ref MemoryMarshal.GetReference(output);
        int n = Math.Min(input.Length, output.Length), i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                Vector512.Max(Vector512.LoadUnsafe(ref x, (nuint)i), Vector512<T>.Zero).StoreUnsafe(ref y, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                Vector256.Max(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256<T>.Zero).StoreUnsafe(ref y, (nuint)i);
        }
        for (; i < n; i++)
            output[i] = T.Max(input[i], T.Zero);
    }

    /// <summary>
    /// The rectifier's backward pass: <paramref name="inputGradient"/> gets <paramref name="outputGradient"/> where
    /// <paramref name="output"/> is positive and zero elsewhere.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluGradient<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T y = ref MemoryMarshal.GetReference(output);
        ref T dy = ref MemoryMarshal.GetReference(outputGradient);
        ref T dx = ref MemoryMarshal.GetReference(inputGradient);
        int n = Math.Min(output.Length, Math.Min(outputGradient.Length, inputGradient.Length)), i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var active = Vector512.GreaterThan(Vector512.LoadUnsafe(ref y, (nuint)i), Vector512<T>.Zero);
                (Vector512.LoadUnsafe(ref dy, (nuint)i) & active).StoreUnsafe(ref dx, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var active = Vector256.GreaterThan(Vector256.LoadUnsafe(ref y, (nuint)i), Vector256<T>.Zero);
                (Vector256.LoadUnsafe(ref dy, (nuint)i) & active).StoreUnsafe(ref dx, (nuint)i);
            }
        }
        for (; i < n; i++)
            inputGradient[i] = output[i] > T.Zero ? outputGradient[i] : T.Zero;
    }
}
