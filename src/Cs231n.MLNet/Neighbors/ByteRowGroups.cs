using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// Which coordinates a group of six training rows touches. Image rows are half zeros (Fashion-MNIST: 50 %), mostly in
/// the background around the object; where all six rows of a tile are zero, a dot product gains nothing and an L1
/// sum gains only the query's own values, so the tiles skip those coordinates. Rows are scanned in an order that
/// puts rows with similar zero backgrounds side by side, which makes such all-zero coordinates common: on
/// Fashion-MNIST a tile then visits about 69 % of the coordinate pairs instead of 88 % in the stored order.
/// </summary>
internal static unsafe class ByteRowGroups
{
    private const int GroupShuffleSeed = 231, FirstBands = 40, SecondBands = 8;

    /// <summary>
    /// The order in which the search visits the rows: sorted by their place along the two leading principal
    /// <paramref name="directions"/> (40 bands of the first, 8 of the second), then by the first, then the last
    /// non-zero coordinate (a row's extent), then by row, and cut into groups of six visited in a fixed shuffled
    /// order. Six rows alike in shape share their zero background, and are far from the same queries, so that tiles
    /// stop early together (<see cref="PartialSumChecks"/>). The order changes no answer: shortlists are proven
    /// complete, and re-ranked by distance then row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] ScanOrder(byte[] rows, int count, int dimension, float[][] directions)
    {
        float[][] projections = PrincipalDirections.ProjectAll(rows, count, dimension, directions);
        int[] firstBand = Bands(projections[0], FirstBands);
        int[] secondBand = Bands(projections[1], SecondBands);
        var keys = new long[count];
        var order = new int[count];
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<byte> row = rows.AsSpan(r * dimension, dimension);
            int first = row.IndexOfAnyExcept((byte)0), last = row.LastIndexOfAnyExcept((byte)0);
            if (first < 0)
                first = last = dimension;
            long band = firstBand[r] * SecondBands + secondBand[r];
            keys[r] = ((band * (dimension + 1) + first) * (dimension + 1) + last) * count + r;
            order[r] = r;
        }
        Array.Sort(keys, order);
        // Visit the groups of six in a fixed pseudo-random order: rows sorted by extent arrive sorted by similarity,
        // so a query's shortlist would keep admitting ever closer rows; in random order it settles early and the
        // tiles' screening rejects almost everything.
        const int size = IByteDistanceTileKernel.Rows;
        int[] groups = Enumerable.Range(0, count / size).ToArray();
        new Random(GroupShuffleSeed).Shuffle(groups);
        var shuffled = new int[count];
        for (int g = 0; g < groups.Length; g++)
            Array.Copy(order, groups[g] * size, shuffled, g * size, size);
        Array.Copy(order, groups.Length * size, shuffled, groups.Length * size, count - groups.Length * size);
        return shuffled;
    }

    /// <summary>Each row's band (0 to <paramref name="bands"/> − 1, equally populated) by its projection (sorted in place).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] Bands(float[] projections, int bands)
    {
        int count = projections.Length;
        var ranked = new int[count];
        for (int r = 0; r < count; r++)
            ranked[r] = r;
        Array.Sort(projections, ranked);
        var band = new int[count];
        for (int rank = 0; rank < count; rank++)
            band[ranked[rank]] = (int)((long)rank * bands / count);
        return band;
    }

    /// <summary>
    /// Lists the coordinate pairs (of six rows widened to 16 bits, <paramref name="stride"/> apart) where some row
    /// is not zero; returns how many.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ActivePairs(short* rows, int stride, int* pairs)
    {
        uint* r0 = (uint*)rows, r1 = (uint*)(rows + stride), r2 = (uint*)(rows + 2 * stride);
        uint* r3 = (uint*)(rows + 3 * stride), r4 = (uint*)(rows + 4 * stride), r5 = (uint*)(rows + 5 * stride);
        int units = stride / 2, count = 0, p = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; p + 8 <= units; p += 8)
            {
                Vector256<uint> any = Vector256.Load(r0 + p) | Vector256.Load(r1 + p) | Vector256.Load(r2 + p)
                    | Vector256.Load(r3 + p) | Vector256.Load(r4 + p) | Vector256.Load(r5 + p);
                uint active = ~Vector256.Equals(any, Vector256<uint>.Zero).ExtractMostSignificantBits() & 0xFF;
                while (active != 0)
                {
                    pairs[count++] = p + BitOperations.TrailingZeroCount(active);
                    active &= active - 1;
                }
            }
        }
        for (; p < units; p++)
        {
            pairs[count] = p;
            count += (r0[p] | r1[p] | r2[p] | r3[p] | r4[p] | r5[p]) != 0 ? 1 : 0;
        }
        return count;
    }

    /// <summary>
    /// Lists the groups of eight coordinates (of six byte rows, <paramref name="stride"/> apart): first those where
    /// some row is not zero (their number is returned), then the <paramref name="zeroCount"/> where all are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SplitGroupsOfEight(byte* rows, int stride, int* groups, out int zeroCount)
    {
        ulong* r0 = (ulong*)rows, r1 = (ulong*)(rows + stride), r2 = (ulong*)(rows + 2 * stride);
        ulong* r3 = (ulong*)(rows + 3 * stride), r4 = (ulong*)(rows + 4 * stride), r5 = (ulong*)(rows + 5 * stride);
        int units = stride / 8, active = 0;
        // The all-zero groups are collected apart, then appended behind the active ones.
        Span<int> zeros = units <= 4096 ? stackalloc int[units] : new int[units];
        int zero = 0, g = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; g + 4 <= units; g += 4)
            {
                Vector256<ulong> any = Vector256.Load(r0 + g) | Vector256.Load(r1 + g) | Vector256.Load(r2 + g)
                    | Vector256.Load(r3 + g) | Vector256.Load(r4 + g) | Vector256.Load(r5 + g);
                uint empty = Vector256.Equals(any, Vector256<ulong>.Zero).ExtractMostSignificantBits();
                for (int lane = 0; lane < 4; lane++)
                {
                    bool isZero = (empty >> lane & 1) != 0;
                    groups[active] = g + lane;
                    zeros[zero] = g + lane;
                    active += isZero ? 0 : 1;
                    zero += isZero ? 1 : 0;
                }
            }
        }
        for (; g < units; g++)
        {
            bool any = (r0[g] | r1[g] | r2[g] | r3[g] | r4[g] | r5[g]) != 0;
            groups[active] = g;
            zeros[zero] = g;
            active += any ? 1 : 0;
            zero += any ? 0 : 1;
        }
        zeros[..zero].CopyTo(new Span<int>(groups + active, zero));
        zeroCount = zero;
        return active;
    }
}
