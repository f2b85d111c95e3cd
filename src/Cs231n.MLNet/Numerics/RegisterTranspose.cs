using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// A 16×16 block of floats transposed in AVX-512 registers: four rounds of shuffles (32-bit and 64-bit interleaves
/// within 128-bit lanes, then two rounds of 128-bit lane selects) instead of 256 scalar moves. Values are only moved,
/// never combined, so a caller that transposes instead of copying element by element computes the same bits.
/// </summary>
internal static unsafe class RegisterTranspose
{
    /// <summary>Whether <see cref="Transpose16"/> runs on this processor.</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>
    /// Reads 16 rows of 16 floats (row i at <c>source + i·sourceStride</c>) and writes column j as the vector
    /// <c>columns[j]</c>: <c>columns[j][i] = source[i·sourceStride + j]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose16(float* source, nint sourceStride, Vector512<float>* columns)
    {
        // Rounds 1 and 2 on each group of four rows: lane k of gJ holds the group's four rows of column 4k + J.
        Interleave4(source, sourceStride, out var a0, out var a1, out var a2, out var a3);
        Interleave4(source + 4 * sourceStride, sourceStride, out var b0, out var b1, out var b2, out var b3);
        Interleave4(source + 8 * sourceStride, sourceStride, out var c0, out var c1, out var c2, out var c3);
        Interleave4(source + 12 * sourceStride, sourceStride, out var d0, out var d1, out var d2, out var d3);
        // Rounds 3 and 4: column 4k + J gathers lane k of the four groups' J-th vectors.
        Gather(a0, b0, c0, d0, columns);
        Gather(a1, b1, c1, d1, columns + 1);
        Gather(a2, b2, c2, d2, columns + 2);
        Gather(a3, b3, c3, d3, columns + 3);
    }

    /// <summary>Rows r..r+3: a 32-bit then a 64-bit interleave, so lane k of <paramref name="j0"/>…<paramref name="j3"/> holds the four rows of columns 4k … 4k + 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave4(float* rows, nint stride, out Vector512<float> j0, out Vector512<float> j1, out Vector512<float> j2, out Vector512<float> j3)
    {
        Vector512<float> r0 = Vector512.Load(rows), r1 = Vector512.Load(rows + stride);
        Vector512<float> r2 = Vector512.Load(rows + 2 * stride), r3 = Vector512.Load(rows + 3 * stride);
        Vector512<double> t0 = Avx512F.UnpackLow(r0, r1).AsDouble(), t1 = Avx512F.UnpackHigh(r0, r1).AsDouble();
        Vector512<double> t2 = Avx512F.UnpackLow(r2, r3).AsDouble(), t3 = Avx512F.UnpackHigh(r2, r3).AsDouble();
        j0 = Avx512F.UnpackLow(t0, t2).AsSingle();
        j1 = Avx512F.UnpackHigh(t0, t2).AsSingle();
        j2 = Avx512F.UnpackLow(t1, t3).AsSingle();
        j3 = Avx512F.UnpackHigh(t1, t3).AsSingle();
    }

    /// <summary>Columns J, 4 + J, 8 + J and 12 + J (written 4 apart from <paramref name="columns"/>) from the four groups' J-th vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gather(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, Vector512<float>* columns)
    {
        Vector512<float> abLow = Avx512F.Shuffle4x128(a, b, 0x44), abHigh = Avx512F.Shuffle4x128(a, b, 0xEE);
        Vector512<float> cdLow = Avx512F.Shuffle4x128(c, d, 0x44), cdHigh = Avx512F.Shuffle4x128(c, d, 0xEE);
        columns[0] = Avx512F.Shuffle4x128(abLow, cdLow, 0x88);
        columns[4] = Avx512F.Shuffle4x128(abLow, cdLow, 0xDD);
        columns[8] = Avx512F.Shuffle4x128(abHigh, cdHigh, 0x88);
        columns[12] = Avx512F.Shuffle4x128(abHigh, cdHigh, 0xDD);
    }
}
