using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// Exact integer distance tiles on 8-bit rows: six training rows against one packed panel of queries, every sum
/// in 32-bit integers (at most 784 · 255² · 2 for a dot product of 8-bit vectors, far below 2³¹).
/// <list type="bullet">
/// <item>Dot products with AVX-512BW <c>vpmaddwd</c> (16-bit pairs multiplied and summed into 32 bits) on rows
/// widened to 16 bits: 6 × 64 queries, 24 accumulators.</item>
/// <item>L1 with AVX-512BW <c>vpsadbw</c> (sums of absolute byte differences, 64 per instruction): 6 × 32
/// queries.</item>
/// <item>A scalar tile of 6 × 8 for processors without AVX-512BW.</item>
/// </list>
/// </summary>
internal static unsafe class ByteDistanceTileKernels
{
    public const int Rows = 6;

    /// <summary>Queries per panel of the AVX-512 dot-product tile.</summary>
    public const int DotColumns = 64;

    /// <summary>Queries per panel of the AVX-512 L1 tile.</summary>
    public const int L1Columns = 32;

    /// <summary>Queries per panel of the scalar tile.</summary>
    public const int ScalarColumns = 8;

    /// <summary>Whether the AVX-512BW tiles can run.</summary>
    public static bool Vector512Supported => Vector512.IsHardwareAccelerated && Avx512BW.IsSupported;

    /// <summary>
    /// <c>tile[r·64 + j] = Σₚ rows[r, p]·panel[p, j]</c>. Rows are 16-bit, <paramref name="rowStride"/> values
    /// apart; the panel holds, per pair of coordinates, 64 queries × 2 16-bit values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot(short* rows, nint rowStride, short* panel, int pairs, int* tile)
    {
        int* r0 = (int*)rows, r1 = (int*)(rows + rowStride), r2 = (int*)(rows + 2 * rowStride);
        int* r3 = (int*)(rows + 3 * rowStride), r4 = (int*)(rows + 4 * rowStride), r5 = (int*)(rows + 5 * rowStride);
        Vector512<int> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<int> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<int> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<int> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<int> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<int> c50 = default, c51 = default, c52 = default, c53 = default;
        for (int p = 0; p < pairs; p++)
        {
            Vector512<short> b0 = Vector512.Load(panel + 0);
            Vector512<short> b1 = Vector512.Load(panel + 32);
            Vector512<short> b2 = Vector512.Load(panel + 64);
            Vector512<short> b3 = Vector512.Load(panel + 96);
            Vector512<short> a = Vector512.Create(r0[p]).AsInt16();
            c00 += Avx512BW.MultiplyAddAdjacent(a, b0);
            c01 += Avx512BW.MultiplyAddAdjacent(a, b1);
            c02 += Avx512BW.MultiplyAddAdjacent(a, b2);
            c03 += Avx512BW.MultiplyAddAdjacent(a, b3);
            a = Vector512.Create(r1[p]).AsInt16();
            c10 += Avx512BW.MultiplyAddAdjacent(a, b0);
            c11 += Avx512BW.MultiplyAddAdjacent(a, b1);
            c12 += Avx512BW.MultiplyAddAdjacent(a, b2);
            c13 += Avx512BW.MultiplyAddAdjacent(a, b3);
            a = Vector512.Create(r2[p]).AsInt16();
            c20 += Avx512BW.MultiplyAddAdjacent(a, b0);
            c21 += Avx512BW.MultiplyAddAdjacent(a, b1);
            c22 += Avx512BW.MultiplyAddAdjacent(a, b2);
            c23 += Avx512BW.MultiplyAddAdjacent(a, b3);
            a = Vector512.Create(r3[p]).AsInt16();
            c30 += Avx512BW.MultiplyAddAdjacent(a, b0);
            c31 += Avx512BW.MultiplyAddAdjacent(a, b1);
            c32 += Avx512BW.MultiplyAddAdjacent(a, b2);
            c33 += Avx512BW.MultiplyAddAdjacent(a, b3);
            a = Vector512.Create(r4[p]).AsInt16();
            c40 += Avx512BW.MultiplyAddAdjacent(a, b0);
            c41 += Avx512BW.MultiplyAddAdjacent(a, b1);
            c42 += Avx512BW.MultiplyAddAdjacent(a, b2);
            c43 += Avx512BW.MultiplyAddAdjacent(a, b3);
            a = Vector512.Create(r5[p]).AsInt16();
            c50 += Avx512BW.MultiplyAddAdjacent(a, b0);
            c51 += Avx512BW.MultiplyAddAdjacent(a, b1);
            c52 += Avx512BW.MultiplyAddAdjacent(a, b2);
            c53 += Avx512BW.MultiplyAddAdjacent(a, b3);
            panel += 128;
        }
        StoreRow(tile + 0 * DotColumns, c00, c01, c02, c03);
        StoreRow(tile + 1 * DotColumns, c10, c11, c12, c13);
        StoreRow(tile + 2 * DotColumns, c20, c21, c22, c23);
        StoreRow(tile + 3 * DotColumns, c30, c31, c32, c33);
        StoreRow(tile + 4 * DotColumns, c40, c41, c42, c43);
        StoreRow(tile + 5 * DotColumns, c50, c51, c52, c53);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(int* tile, Vector512<int> v0, Vector512<int> v1, Vector512<int> v2, Vector512<int> v3)
    {
        Vector512.Store(v0, tile);
        Vector512.Store(v1, tile + 16);
        Vector512.Store(v2, tile + 32);
        Vector512.Store(v3, tile + 48);
    }

    /// <summary>
    /// <c>tile[r·32 + j] = Σₚ |rows[r, p] − panel[p, j]|</c>. Rows are bytes, <paramref name="rowStride"/> apart;
    /// the panel holds, per group of 8 coordinates, 32 queries × 8 bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void L1(byte* rows, nint rowStride, byte* panel, int groups, int* tile)
    {
        ulong* r0 = (ulong*)rows, r1 = (ulong*)(rows + rowStride), r2 = (ulong*)(rows + 2 * rowStride);
        ulong* r3 = (ulong*)(rows + 3 * rowStride), r4 = (ulong*)(rows + 4 * rowStride), r5 = (ulong*)(rows + 5 * rowStride);
        Vector512<ushort> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<ushort> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<ushort> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<ushort> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<ushort> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<ushort> c50 = default, c51 = default, c52 = default, c53 = default;
        // Each 64-bit lane accumulates one query's sum in its low 32 bits (as 16-bit pieces, carried by 32-bit adds):
        // at most 255 per byte, so 2³² is never approached.
        for (int g = 0; g < groups; g++)
        {
            Vector512<byte> b0 = Vector512.Load(panel + 0);
            Vector512<byte> b1 = Vector512.Load(panel + 64);
            Vector512<byte> b2 = Vector512.Load(panel + 128);
            Vector512<byte> b3 = Vector512.Load(panel + 192);
            Vector512<byte> a = Vector512.Create(r0[g]).AsByte();
            c00 = Add(c00, Avx512BW.SumAbsoluteDifferences(a, b0));
            c01 = Add(c01, Avx512BW.SumAbsoluteDifferences(a, b1));
            c02 = Add(c02, Avx512BW.SumAbsoluteDifferences(a, b2));
            c03 = Add(c03, Avx512BW.SumAbsoluteDifferences(a, b3));
            a = Vector512.Create(r1[g]).AsByte();
            c10 = Add(c10, Avx512BW.SumAbsoluteDifferences(a, b0));
            c11 = Add(c11, Avx512BW.SumAbsoluteDifferences(a, b1));
            c12 = Add(c12, Avx512BW.SumAbsoluteDifferences(a, b2));
            c13 = Add(c13, Avx512BW.SumAbsoluteDifferences(a, b3));
            a = Vector512.Create(r2[g]).AsByte();
            c20 = Add(c20, Avx512BW.SumAbsoluteDifferences(a, b0));
            c21 = Add(c21, Avx512BW.SumAbsoluteDifferences(a, b1));
            c22 = Add(c22, Avx512BW.SumAbsoluteDifferences(a, b2));
            c23 = Add(c23, Avx512BW.SumAbsoluteDifferences(a, b3));
            a = Vector512.Create(r3[g]).AsByte();
            c30 = Add(c30, Avx512BW.SumAbsoluteDifferences(a, b0));
            c31 = Add(c31, Avx512BW.SumAbsoluteDifferences(a, b1));
            c32 = Add(c32, Avx512BW.SumAbsoluteDifferences(a, b2));
            c33 = Add(c33, Avx512BW.SumAbsoluteDifferences(a, b3));
            a = Vector512.Create(r4[g]).AsByte();
            c40 = Add(c40, Avx512BW.SumAbsoluteDifferences(a, b0));
            c41 = Add(c41, Avx512BW.SumAbsoluteDifferences(a, b1));
            c42 = Add(c42, Avx512BW.SumAbsoluteDifferences(a, b2));
            c43 = Add(c43, Avx512BW.SumAbsoluteDifferences(a, b3));
            a = Vector512.Create(r5[g]).AsByte();
            c50 = Add(c50, Avx512BW.SumAbsoluteDifferences(a, b0));
            c51 = Add(c51, Avx512BW.SumAbsoluteDifferences(a, b1));
            c52 = Add(c52, Avx512BW.SumAbsoluteDifferences(a, b2));
            c53 = Add(c53, Avx512BW.SumAbsoluteDifferences(a, b3));
            panel += 256;
        }
        StoreSums(tile + 0 * L1Columns, c00, c01, c02, c03);
        StoreSums(tile + 1 * L1Columns, c10, c11, c12, c13);
        StoreSums(tile + 2 * L1Columns, c20, c21, c22, c23);
        StoreSums(tile + 3 * L1Columns, c30, c31, c32, c33);
        StoreSums(tile + 4 * L1Columns, c40, c41, c42, c43);
        StoreSums(tile + 5 * L1Columns, c50, c51, c52, c53);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ushort> Add(Vector512<ushort> sum, Vector512<ushort> sad)
        => (sum.AsUInt32() + sad.AsUInt32()).AsUInt16();

    /// <summary>Narrows the 64-bit lanes (8 queries per register) to 32-bit sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSums(int* tile, Vector512<ushort> v0, Vector512<ushort> v1, Vector512<ushort> v2, Vector512<ushort> v3)
    {
        Vector256.Store(Avx512F.ConvertToVector256Int32(v0.AsInt64()), tile);
        Vector256.Store(Avx512F.ConvertToVector256Int32(v1.AsInt64()), tile + 8);
        Vector256.Store(Avx512F.ConvertToVector256Int32(v2.AsInt64()), tile + 16);
        Vector256.Store(Avx512F.ConvertToVector256Int32(v3.AsInt64()), tile + 24);
    }

    /// <summary>
    /// The portable tile: <c>tile[r·8 + j]</c> is the dot product (or, with <paramref name="l1"/>, the L1 sum) of
    /// training row r and query j; queries are stored row-major, <paramref name="stride"/> bytes apart, as are rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scalar(byte* rows, byte* queries, nint stride, int dimension, bool l1, int* tile)
    {
        for (int r = 0; r < Rows; r++)
        {
            byte* y = rows + r * stride;
            for (int j = 0; j < ScalarColumns; j++)
            {
                byte* x = queries + j * stride;
                int sum = 0;
                if (l1)
                {
                    for (int p = 0; p < dimension; p++)
                        sum += Math.Abs(x[p] - y[p]);
                }
                else
                {
                    for (int p = 0; p < dimension; p++)
                        sum += x[p] * y[p];
                }
                tile[r * ScalarColumns + j] = sum;
            }
        }
    }
}
