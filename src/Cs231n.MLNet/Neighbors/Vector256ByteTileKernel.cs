using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// AVX2 integer tiles, the same arithmetic as <see cref="Vector512ByteTileKernel"/> on 256-bit registers:
/// <c>vpmaddwd</c> dot products, 6 rows × 16 queries in 12 accumulators; <c>vpsadbw</c> L1, 6 rows × 8 queries.
/// </summary>
internal readonly unsafe struct Vector256ByteTileKernel : IByteDistanceTileKernel
{
    public static int DotColumns => 16;

    public static int L1Columns => 8;

    /// <summary>Whether this processor runs the tile.</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated && Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Dot(short* rows, nint rowStride, short* panel, int* pairs, int pairCount, in PartialSumChecks checks, int* tile)
    {
        // A pair of 16-bit row values, read as one 32-bit word and broadcast, meets each query's pair.
        int* r0 = (int*)rows, r1 = (int*)(rows + rowStride), r2 = (int*)(rows + 2 * rowStride);
        int* r3 = (int*)(rows + 3 * rowStride), r4 = (int*)(rows + 4 * rowStride), r5 = (int*)(rows + 5 * rowStride);
        Vector256<int> c00 = default, c01 = default;
        Vector256<int> c10 = default, c11 = default;
        Vector256<int> c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default;
        Vector256<int> c40 = default, c41 = default;
        Vector256<int> c50 = default, c51 = default;
        for (int i = 0, check = 0; ; check++)
        {
            int end = check < checks.Count ? checks.Ends[check] : pairCount;
            for (; i < end; i++)
            {
                int pair = pairs[i];
                short* b = panel + (nint)pair * 32;
                Vector256<short> b0 = Vector256.Load(b + 0);
                Vector256<short> b1 = Vector256.Load(b + 16);
                Vector256<short> a = Vector256.Create(r0[pair]).AsInt16();
                c00 += Avx2.MultiplyAddAdjacent(a, b0);
                c01 += Avx2.MultiplyAddAdjacent(a, b1);
                a = Vector256.Create(r1[pair]).AsInt16();
                c10 += Avx2.MultiplyAddAdjacent(a, b0);
                c11 += Avx2.MultiplyAddAdjacent(a, b1);
                a = Vector256.Create(r2[pair]).AsInt16();
                c20 += Avx2.MultiplyAddAdjacent(a, b0);
                c21 += Avx2.MultiplyAddAdjacent(a, b1);
                a = Vector256.Create(r3[pair]).AsInt16();
                c30 += Avx2.MultiplyAddAdjacent(a, b0);
                c31 += Avx2.MultiplyAddAdjacent(a, b1);
                a = Vector256.Create(r4[pair]).AsInt16();
                c40 += Avx2.MultiplyAddAdjacent(a, b0);
                c41 += Avx2.MultiplyAddAdjacent(a, b1);
                a = Vector256.Create(r5[pair]).AsInt16();
                c50 += Avx2.MultiplyAddAdjacent(a, b0);
                c51 += Avx2.MultiplyAddAdjacent(a, b1);
            }
            if (check == checks.Count)
                break;
            // Partial squared distance Σy² + Σx² − 2Σxy ≥ limit, written as Σy² − 2Σxy ≥ limit − Σx².
            int* limits = checks.Limits, squares = checks.QuerySquares + check * 16, rowSquares = checks.RowSquares + check;
            Vector256<int> m0 = Vector256.Load(limits + 0) - Vector256.Load(squares + 0);
            Vector256<int> m1 = Vector256.Load(limits + 8) - Vector256.Load(squares + 8);
            int n = checks.Count;
            if (Beyond(rowSquares[0], c00, c01, m0, m1) && Beyond(rowSquares[n], c10, c11, m0, m1)
                && Beyond(rowSquares[2 * n], c20, c21, m0, m1) && Beyond(rowSquares[3 * n], c30, c31, m0, m1)
                && Beyond(rowSquares[4 * n], c40, c41, m0, m1) && Beyond(rowSquares[5 * n], c50, c51, m0, m1))
                return false;
        }
        StoreRow(tile + 0, c00, c01);
        StoreRow(tile + 16, c10, c11);
        StoreRow(tile + 32, c20, c21);
        StoreRow(tile + 48, c30, c31);
        StoreRow(tile + 64, c40, c41);
        StoreRow(tile + 80, c50, c51);
        return true;
    }

    /// <summary>Whether one row's partial sums reach every limit: <c>rowSquares − 2·dot ≥ m</c> in all 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Beyond(int rowSquares, Vector256<int> d0, Vector256<int> d1, Vector256<int> m0, Vector256<int> m1)
    {
        Vector256<int> y = Vector256.Create(rowSquares);
        Vector256<int> reached = Vector256.GreaterThanOrEqual(y - d0 - d0, m0) & Vector256.GreaterThanOrEqual(y - d1 - d1, m1);
        return reached == Vector256<int>.AllBitsSet;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(int* tile, Vector256<int> v0, Vector256<int> v1)
    {
        Vector256.Store(v0, tile + 0);
        Vector256.Store(v1, tile + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool L1(byte* rows, nint rowStride, byte* panel, int* groups, int activeCount, int zeroCount, in PartialSumChecks checks, int* tile)
    {
        // Eight row bytes, broadcast as one 64-bit word, against eight queries' eight bytes per register; each
        // 64-bit lane of a sum of absolute differences holds one query's sum (at most 255 per byte).
        ulong* r0 = (ulong*)rows, r1 = (ulong*)(rows + rowStride), r2 = (ulong*)(rows + 2 * rowStride);
        ulong* r3 = (ulong*)(rows + 3 * rowStride), r4 = (ulong*)(rows + 4 * rowStride), r5 = (ulong*)(rows + 5 * rowStride);
        // Groups where all six rows are zero come first: |0 − x| = x, the same for every row, summed once.
        Vector256<ulong> z0 = default, z1 = default;
        for (int i = activeCount; i < activeCount + zeroCount; i++)
        {
            byte* b = panel + (nint)groups[i] * 64;
            z0 += Avx2.SumAbsoluteDifferences(Vector256.Load(b + 0), default).AsUInt64();
            z1 += Avx2.SumAbsoluteDifferences(Vector256.Load(b + 32), default).AsUInt64();
        }
        Vector256<ulong> c00 = z0, c01 = z1;
        Vector256<ulong> c10 = z0, c11 = z1;
        Vector256<ulong> c20 = z0, c21 = z1;
        Vector256<ulong> c30 = z0, c31 = z1;
        Vector256<ulong> c40 = z0, c41 = z1;
        Vector256<ulong> c50 = z0, c51 = z1;
        for (int i = 0, check = 0; ; check++)
        {
            int end = check < checks.Count ? checks.Ends[check] : activeCount;
            for (; i < end; i++)
            {
                int group = groups[i];
                byte* b = panel + (nint)group * 64;
                Vector256<byte> b0 = Vector256.Load(b + 0);
                Vector256<byte> b1 = Vector256.Load(b + 32);
                Vector256<byte> a = Vector256.Create(r0[group]).AsByte();
                c00 += Avx2.SumAbsoluteDifferences(a, b0).AsUInt64();
                c01 += Avx2.SumAbsoluteDifferences(a, b1).AsUInt64();
                a = Vector256.Create(r1[group]).AsByte();
                c10 += Avx2.SumAbsoluteDifferences(a, b0).AsUInt64();
                c11 += Avx2.SumAbsoluteDifferences(a, b1).AsUInt64();
                a = Vector256.Create(r2[group]).AsByte();
                c20 += Avx2.SumAbsoluteDifferences(a, b0).AsUInt64();
                c21 += Avx2.SumAbsoluteDifferences(a, b1).AsUInt64();
                a = Vector256.Create(r3[group]).AsByte();
                c30 += Avx2.SumAbsoluteDifferences(a, b0).AsUInt64();
                c31 += Avx2.SumAbsoluteDifferences(a, b1).AsUInt64();
                a = Vector256.Create(r4[group]).AsByte();
                c40 += Avx2.SumAbsoluteDifferences(a, b0).AsUInt64();
                c41 += Avx2.SumAbsoluteDifferences(a, b1).AsUInt64();
                a = Vector256.Create(r5[group]).AsByte();
                c50 += Avx2.SumAbsoluteDifferences(a, b0).AsUInt64();
                c51 += Avx2.SumAbsoluteDifferences(a, b1).AsUInt64();
            }
            if (check == checks.Count)
                break;
            int* limits = checks.Limits;
            Vector256<long> m0 = Avx2.ConvertToVector256Int64(Vector128.Load(limits + 0));
            Vector256<long> m1 = Avx2.ConvertToVector256Int64(Vector128.Load(limits + 4));
            if (Beyond(c00, c01, m0, m1) && Beyond(c10, c11, m0, m1) && Beyond(c20, c21, m0, m1)
                && Beyond(c30, c31, m0, m1) && Beyond(c40, c41, m0, m1) && Beyond(c50, c51, m0, m1))
                return false;
        }
        Vector256.Store(Vector256.Narrow(c00, c01), (uint*)tile + 0);
        Vector256.Store(Vector256.Narrow(c10, c11), (uint*)tile + 8);
        Vector256.Store(Vector256.Narrow(c20, c21), (uint*)tile + 16);
        Vector256.Store(Vector256.Narrow(c30, c31), (uint*)tile + 24);
        Vector256.Store(Vector256.Narrow(c40, c41), (uint*)tile + 32);
        Vector256.Store(Vector256.Narrow(c50, c51), (uint*)tile + 40);
        return true;
    }

    /// <summary>Whether one row's partial L1 sums (64-bit lanes, one per query) reach every limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Beyond(Vector256<ulong> s0, Vector256<ulong> s1, Vector256<long> m0, Vector256<long> m1)
    {
        // Sums and limits are below 2³¹, so the signed comparison of the 64-bit lanes is exact.
        Vector256<long> reached = Vector256.GreaterThanOrEqual(s0.AsInt64(), m0) & Vector256.GreaterThanOrEqual(s1.AsInt64(), m1);
        return reached == Vector256<long>.AllBitsSet;
    }
}
