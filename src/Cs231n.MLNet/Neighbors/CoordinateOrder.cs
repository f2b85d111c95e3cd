using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// The order in which the 8-bit search visits coordinates: groups of eight neighbouring coordinates (kept together,
/// so that zero backgrounds still leave whole groups to skip) sorted by decreasing variance over the training rows.
/// Partial distances then grow fastest at first, and the tiles' checks (<see cref="PartialSumChecks"/>) stop early.
/// </summary>
internal static class CoordinateOrder
{
    private const int GroupSize = 8;

    /// <summary><c>order[i]</c> is the coordinate stored at position i; a ragged last group stays last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] ByVariance(byte[] rows, int count, int dimension)
    {
        var sums = new long[dimension];
        var squares = new long[dimension];
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<byte> row = rows.AsSpan(r * dimension, dimension);
            for (int p = 0; p < dimension; p++)
            {
                int b = row[p];
                sums[p] += b;
                squares[p] += b * b;
            }
        }
        int groups = dimension / GroupSize;
        var spread = new double[groups];
        var groupOrder = new int[groups];
        for (int g = 0; g < groups; g++)
        {
            groupOrder[g] = g;
            for (int p = g * GroupSize; p < (g + 1) * GroupSize; p++)
                spread[g] += count * (double)squares[p] - (double)sums[p] * sums[p]; // count² · variance
        }
        // Decreasing variance, ties in coordinate order (a fixed order: it only changes the speed).
        Array.Sort(groupOrder, (a, b) => spread[a] != spread[b] ? spread[b].CompareTo(spread[a]) : a.CompareTo(b));
        var order = new int[dimension];
        for (int g = 0; g < groups; g++)
        {
            for (int i = 0; i < GroupSize; i++)
                order[g * GroupSize + i] = groupOrder[g] * GroupSize + i;
        }
        for (int p = groups * GroupSize; p < dimension; p++)
            order[p] = p;
        return order;
    }
}
