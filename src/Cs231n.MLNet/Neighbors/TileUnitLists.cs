using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// The coordinate units each group of six stored rows visits (<see cref="ByteRowGroups.ActivePairs"/> for dot
/// products, <see cref="ByteRowGroups.SplitGroupsOfEight"/> for L1), listed once when the index is built rather than
/// once per work item of every search, with the place of each checkpoint (<see cref="PartialSumChecks.Ends"/>) in
/// each list. About 4 bytes per training row and listed unit: 11 MB for Fashion-MNIST's L2 lists, 4 MB for L1.
/// </summary>
internal sealed unsafe class TileUnitLists
{
    private readonly int[] _offsets, _active, _zero;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TileUnitLists(byte[] rows, int count, int dimension, int stride, bool l1, int checkpoints)
    {
        const int size = IByteDistanceTileKernel.Rows;
        int tiles = (count + size - 1) / size, unitsPerCheckpoint = KnnBlockSizes.CheckpointCoordinates / (l1 ? 8 : 2);
        Checkpoints = checkpoints;
        _offsets = new int[tiles + 1];
        _active = new int[tiles];
        _zero = new int[tiles];
        Ends = new int[Math.Max(1, tiles * checkpoints)];
        var units = new List<int>(tiles * stride / 4);
        var padded = new byte[size * stride];
        var widened = new short[size * stride];
        var list = new int[stride / 2];
        fixed (byte* paddedData = padded)
        fixed (short* widenedData = widened)
        fixed (int* listData = list)
        {
            for (int tile = 0; tile < tiles; tile++)
            {
                int valid = Math.Min(size, count - tile * size);
                Array.Clear(padded);
                for (int r = 0; r < valid; r++)
                    rows.AsSpan((tile * size + r) * dimension, dimension).CopyTo(padded.AsSpan(r * stride));
                int active, zero = 0;
                if (l1)
                {
                    active = ByteRowGroups.SplitGroupsOfEight(paddedData, stride, listData, out zero);
                }
                else
                {
                    for (int i = 0; i < padded.Length; i++)
                        widened[i] = padded[i];
                    active = ByteRowGroups.ActivePairs(widenedData, stride, listData);
                }
                for (int check = 0, u = 0; check < checkpoints; check++)
                {
                    while (u < active && list[u] < (check + 1) * unitsPerCheckpoint)
                        u++;
                    Ends[tile * checkpoints + check] = u;
                }
                _active[tile] = active;
                _zero[tile] = zero;
                units.AddRange(list.AsSpan(0, active + zero));
                _offsets[tile + 1] = units.Count;
            }
        }
        Units = units.ToArray();
    }

    /// <summary>Checkpoints per list.</summary>
    public int Checkpoints { get; }

    /// <summary>All lists, one after the other; tile t's starts at <see cref="Offset"/>(t).</summary>
    public int[] Units { get; }

    /// <summary>Per tile, <see cref="Checkpoints"/> entries: how many of its listed units lie before each checkpoint.</summary>
    public int[] Ends { get; }

    public int Offset(int tile) => _offsets[tile];

    /// <summary>Units some row of the tile touches (listed first, ascending).</summary>
    public int ActiveCount(int tile) => _active[tile];

    /// <summary>L1: groups of eight where all six rows are zero (listed after the active ones).</summary>
    public int ZeroCount(int tile) => _zero[tile];
}
