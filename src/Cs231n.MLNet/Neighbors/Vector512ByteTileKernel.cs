using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// AVX-512BW integer tiles: dot products with <c>vpmaddwd</c> (16-bit pairs multiplied and summed into 32 bits),
/// 6 rows × 64 queries in 24 accumulators; L1 with <c>vpsadbw</c> (64 absolute byte differences per instruction),
/// 6 rows × 32 queries. .NET exposes no AVX-512 VNNI (<c>vpdpbusd</c>/<c>vpdpwssd</c>), so the multiply and the
/// accumulation stay two instructions.
/// </summary>
internal readonly unsafe struct Vector512ByteTileKernel : IByteDistanceTileKernel
{
    public static int DotColumns => 64;

    public static int L1Columns => 32;

    /// <summary>Whether this processor runs the tile.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512BW.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Dot(short* rows, nint rowStride, short* panel, int* pairs, int pairCount, in PartialSumChecks checks, int* tile)
    {
        // A pair of 16-bit row values, read as one 32-bit word and broadcast, meets each query's pair.
        int* r0 = (int*)rows, r1 = (int*)(rows + rowStride), r2 = (int*)(rows + 2 * rowStride);
        int* r3 = (int*)(rows + 3 * rowStride), r4 = (int*)(rows + 4 * rowStride), r5 = (int*)(rows + 5 * rowStride);
        Vector512<int> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<int> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<int> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<int> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<int> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<int> c50 = default, c51 = default, c52 = default, c53 = default;
        for (int i = 0, check = 0; ; check++)
        {
            int end = check < checks.Count ? checks.Ends[check] : pairCount;
            for (; i < end; i++)
            {
                int pair = pairs[i];
                short* b = panel + (nint)pair * 128;
                Vector512<short> b0 = Vector512.Load(b + 0);
                Vector512<short> b1 = Vector512.Load(b + 32);
                Vector512<short> b2 = Vector512.Load(b + 64);
                Vector512<short> b3 = Vector512.Load(b + 96);
                Vector512<short> a = Vector512.Create(r0[pair]).AsInt16();
                c00 += Avx512BW.MultiplyAddAdjacent(a, b0);
                c01 += Avx512BW.MultiplyAddAdjacent(a, b1);
                c02 += Avx512BW.MultiplyAddAdjacent(a, b2);
                c03 += Avx512BW.MultiplyAddAdjacent(a, b3);
                a = Vector512.Create(r1[pair]).AsInt16();
                c10 += Avx512BW.MultiplyAddAdjacent(a, b0);
                c11 += Avx512BW.MultiplyAddAdjacent(a, b1);
                c12 += Avx512BW.MultiplyAddAdjacent(a, b2);
                c13 += Avx512BW.MultiplyAddAdjacent(a, b3);
                a = Vector512.Create(r2[pair]).AsInt16();
                c20 += Avx512BW.MultiplyAddAdjacent(a, b0);
                c21 += Avx512BW.MultiplyAddAdjacent(a, b1);
                c22 += Avx512BW.MultiplyAddAdjacent(a, b2);
                c23 += Avx512BW.MultiplyAddAdjacent(a, b3);
                a = Vector512.Create(r3[pair]).AsInt16();
                c30 += Avx512BW.MultiplyAddAdjacent(a, b0);
                c31 += Avx512BW.MultiplyAddAdjacent(a, b1);
                c32 += Avx512BW.MultiplyAddAdjacent(a, b2);
                c33 += Avx512BW.MultiplyAddAdjacent(a, b3);
                a = Vector512.Create(r4[pair]).AsInt16();
                c40 += Avx512BW.MultiplyAddAdjacent(a, b0);
                c41 += Avx512BW.MultiplyAddAdjacent(a, b1);
                c42 += Avx512BW.MultiplyAddAdjacent(a, b2);
                c43 += Avx512BW.MultiplyAddAdjacent(a, b3);
                a = Vector512.Create(r5[pair]).AsInt16();
                c50 += Avx512BW.MultiplyAddAdjacent(a, b0);
                c51 += Avx512BW.MultiplyAddAdjacent(a, b1);
                c52 += Avx512BW.MultiplyAddAdjacent(a, b2);
                c53 += Avx512BW.MultiplyAddAdjacent(a, b3);
            }
            if (check == checks.Count)
                break;
            // Partial squared distance Σy² + Σx² − 2Σxy ≥ limit, written as Σy² − 2Σxy ≥ limit − Σx².
            int* limits = checks.Limits, squares = checks.QuerySquares + check * 64, rowSquares = checks.RowSquares + check;
            Vector512<int> m0 = Vector512.Load(limits + 0) - Vector512.Load(squares + 0);
            Vector512<int> m1 = Vector512.Load(limits + 16) - Vector512.Load(squares + 16);
            Vector512<int> m2 = Vector512.Load(limits + 32) - Vector512.Load(squares + 32);
            Vector512<int> m3 = Vector512.Load(limits + 48) - Vector512.Load(squares + 48);
            int n = checks.Count;
            if (Beyond(rowSquares[0], c00, c01, c02, c03, m0, m1, m2, m3)
                && Beyond(rowSquares[n], c10, c11, c12, c13, m0, m1, m2, m3)
                && Beyond(rowSquares[2 * n], c20, c21, c22, c23, m0, m1, m2, m3)
                && Beyond(rowSquares[3 * n], c30, c31, c32, c33, m0, m1, m2, m3)
                && Beyond(rowSquares[4 * n], c40, c41, c42, c43, m0, m1, m2, m3)
                && Beyond(rowSquares[5 * n], c50, c51, c52, c53, m0, m1, m2, m3))
                return false;
        }
        StoreRow(tile + 0, c00, c01, c02, c03);
        StoreRow(tile + 64, c10, c11, c12, c13);
        StoreRow(tile + 128, c20, c21, c22, c23);
        StoreRow(tile + 192, c30, c31, c32, c33);
        StoreRow(tile + 256, c40, c41, c42, c43);
        StoreRow(tile + 320, c50, c51, c52, c53);
        return true;
    }

    /// <summary>Whether one row's partial sums reach every limit: <c>rowSquares − 2·dot ≥ m</c> in all 64 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Beyond(int rowSquares, Vector512<int> d0, Vector512<int> d1, Vector512<int> d2, Vector512<int> d3,
        Vector512<int> m0, Vector512<int> m1, Vector512<int> m2, Vector512<int> m3)
    {
        Vector512<int> y = Vector512.Create(rowSquares);
        Vector512<int> reached = Vector512.GreaterThanOrEqual(y - d0 - d0, m0) & Vector512.GreaterThanOrEqual(y - d1 - d1, m1)
            & Vector512.GreaterThanOrEqual(y - d2 - d2, m2) & Vector512.GreaterThanOrEqual(y - d3 - d3, m3);
        return reached == Vector512<int>.AllBitsSet;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(int* tile, Vector512<int> v0, Vector512<int> v1, Vector512<int> v2, Vector512<int> v3)
    {
        Vector512.Store(v0, tile + 0);
        Vector512.Store(v1, tile + 16);
        Vector512.Store(v2, tile + 32);
        Vector512.Store(v3, tile + 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool L1(byte* rows, nint rowStride, byte* panel, int* groups, int activeCount, int zeroCount, in PartialSumChecks checks, int* tile)
    {
        // Eight row bytes, broadcast as one 64-bit word, against eight queries' eight bytes per register; each
        // 64-bit lane of a sum of absolute differences holds one query's sum (at most 255 per byte).
        ulong* r0 = (ulong*)rows, r1 = (ulong*)(rows + rowStride), r2 = (ulong*)(rows + 2 * rowStride);
        ulong* r3 = (ulong*)(rows + 3 * rowStride), r4 = (ulong*)(rows + 4 * rowStride), r5 = (ulong*)(rows + 5 * rowStride);
        // Groups where all six rows are zero come first: |0 − x| = x, the same for every row, summed once.
        Vector512<ulong> z0 = default, z1 = default, z2 = default, z3 = default;
        for (int i = activeCount; i < activeCount + zeroCount; i++)
        {
            byte* b = panel + (nint)groups[i] * 256;
            z0 += Avx512BW.SumAbsoluteDifferences(Vector512.Load(b + 0), default).AsUInt64();
            z1 += Avx512BW.SumAbsoluteDifferences(Vector512.Load(b + 64), default).AsUInt64();
            z2 += Avx512BW.SumAbsoluteDifferences(Vector512.Load(b + 128), default).AsUInt64();
            z3 += Avx512BW.SumAbsoluteDifferences(Vector512.Load(b + 192), default).AsUInt64();
        }
        Vector512<ulong> c00 = z0, c01 = z1, c02 = z2, c03 = z3;
        Vector512<ulong> c10 = z0, c11 = z1, c12 = z2, c13 = z3;
        Vector512<ulong> c20 = z0, c21 = z1, c22 = z2, c23 = z3;
        Vector512<ulong> c30 = z0, c31 = z1, c32 = z2, c33 = z3;
        Vector512<ulong> c40 = z0, c41 = z1, c42 = z2, c43 = z3;
        Vector512<ulong> c50 = z0, c51 = z1, c52 = z2, c53 = z3;
        for (int i = 0, check = 0; ; check++)
        {
            int end = check < checks.Count ? checks.Ends[check] : activeCount;
            for (; i < end; i++)
            {
                int group = groups[i];
                byte* b = panel + (nint)group * 256;
                Vector512<byte> b0 = Vector512.Load(b + 0);
                Vector512<byte> b1 = Vector512.Load(b + 64);
                Vector512<byte> b2 = Vector512.Load(b + 128);
                Vector512<byte> b3 = Vector512.Load(b + 192);
                Vector512<byte> a = Vector512.Create(r0[group]).AsByte();
                c00 += Avx512BW.SumAbsoluteDifferences(a, b0).AsUInt64();
                c01 += Avx512BW.SumAbsoluteDifferences(a, b1).AsUInt64();
                c02 += Avx512BW.SumAbsoluteDifferences(a, b2).AsUInt64();
                c03 += Avx512BW.SumAbsoluteDifferences(a, b3).AsUInt64();
                a = Vector512.Create(r1[group]).AsByte();
                c10 += Avx512BW.SumAbsoluteDifferences(a, b0).AsUInt64();
                c11 += Avx512BW.SumAbsoluteDifferences(a, b1).AsUInt64();
                c12 += Avx512BW.SumAbsoluteDifferences(a, b2).AsUInt64();
                c13 += Avx512BW.SumAbsoluteDifferences(a, b3).AsUInt64();
                a = Vector512.Create(r2[group]).AsByte();
                c20 += Avx512BW.SumAbsoluteDifferences(a, b0).AsUInt64();
                c21 += Avx512BW.SumAbsoluteDifferences(a, b1).AsUInt64();
                c22 += Avx512BW.SumAbsoluteDifferences(a, b2).AsUInt64();
                c23 += Avx512BW.SumAbsoluteDifferences(a, b3).AsUInt64();
                a = Vector512.Create(r3[group]).AsByte();
                c30 += Avx512BW.SumAbsoluteDifferences(a, b0).AsUInt64();
                c31 += Avx512BW.SumAbsoluteDifferences(a, b1).AsUInt64();
                c32 += Avx512BW.SumAbsoluteDifferences(a, b2).AsUInt64();
                c33 += Avx512BW.SumAbsoluteDifferences(a, b3).AsUInt64();
                a = Vector512.Create(r4[group]).AsByte();
                c40 += Avx512BW.SumAbsoluteDifferences(a, b0).AsUInt64();
                c41 += Avx512BW.SumAbsoluteDifferences(a, b1).AsUInt64();
                c42 += Avx512BW.SumAbsoluteDifferences(a, b2).AsUInt64();
                c43 += Avx512BW.SumAbsoluteDifferences(a, b3).AsUInt64();
                a = Vector512.Create(r5[group]).AsByte();
                c50 += Avx512BW.SumAbsoluteDifferences(a, b0).AsUInt64();
                c51 += Avx512BW.SumAbsoluteDifferences(a, b1).AsUInt64();
                c52 += Avx512BW.SumAbsoluteDifferences(a, b2).AsUInt64();
                c53 += Avx512BW.SumAbsoluteDifferences(a, b3).AsUInt64();
            }
            if (check == checks.Count)
                break;
            int* limits = checks.Limits;
            Vector512<ulong> m0 = Avx512F.ConvertToVector512Int64(Vector256.Load(limits + 0)).AsUInt64();
            Vector512<ulong> m1 = Avx512F.ConvertToVector512Int64(Vector256.Load(limits + 8)).AsUInt64();
            Vector512<ulong> m2 = Avx512F.ConvertToVector512Int64(Vector256.Load(limits + 16)).AsUInt64();
            Vector512<ulong> m3 = Avx512F.ConvertToVector512Int64(Vector256.Load(limits + 24)).AsUInt64();
            if (Beyond(c00, c01, c02, c03, m0, m1, m2, m3) && Beyond(c10, c11, c12, c13, m0, m1, m2, m3)
                && Beyond(c20, c21, c22, c23, m0, m1, m2, m3) && Beyond(c30, c31, c32, c33, m0, m1, m2, m3)
                && Beyond(c40, c41, c42, c43, m0, m1, m2, m3) && Beyond(c50, c51, c52, c53, m0, m1, m2, m3))
                return false;
        }
        Vector512.Store(Vector512.Narrow(c00, c01), (uint*)tile + 0);
        Vector512.Store(Vector512.Narrow(c02, c03), (uint*)tile + 16);
        Vector512.Store(Vector512.Narrow(c10, c11), (uint*)tile + 32);
        Vector512.Store(Vector512.Narrow(c12, c13), (uint*)tile + 48);
        Vector512.Store(Vector512.Narrow(c20, c21), (uint*)tile + 64);
        Vector512.Store(Vector512.Narrow(c22, c23), (uint*)tile + 80);
        Vector512.Store(Vector512.Narrow(c30, c31), (uint*)tile + 96);
        Vector512.Store(Vector512.Narrow(c32, c33), (uint*)tile + 112);
        Vector512.Store(Vector512.Narrow(c40, c41), (uint*)tile + 128);
        Vector512.Store(Vector512.Narrow(c42, c43), (uint*)tile + 144);
        Vector512.Store(Vector512.Narrow(c50, c51), (uint*)tile + 160);
        Vector512.Store(Vector512.Narrow(c52, c53), (uint*)tile + 176);
        return true;
    }

    /// <summary>Whether one row's partial L1 sums (64-bit lanes, one per query) reach every limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Beyond(Vector512<ulong> s0, Vector512<ulong> s1, Vector512<ulong> s2, Vector512<ulong> s3,
        Vector512<ulong> m0, Vector512<ulong> m1, Vector512<ulong> m2, Vector512<ulong> m3)
    {
        // Sums and limits are below 2³¹, so the signed comparison of the 64-bit lanes is exact.
        Vector512<long> reached = Vector512.GreaterThanOrEqual(s0.AsInt64(), m0.AsInt64()) & Vector512.GreaterThanOrEqual(s1.AsInt64(), m1.AsInt64())
            & Vector512.GreaterThanOrEqual(s2.AsInt64(), m2.AsInt64()) & Vector512.GreaterThanOrEqual(s3.AsInt64(), m3.AsInt64());
        return reached == Vector512<long>.AllBitsSet;
    }
}
