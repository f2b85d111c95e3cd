using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// Exact nearest-neighbour search over a training matrix stored as bytes, for data on an 8-bit grid (pixels, or
/// pixels/255): a quarter of the memory of the float matrix, and distances computed exactly in integers —
/// <c>‖x‖² − 2x·y + ‖y‖²</c> for L2 and <c>Σ|x − y|</c> for L1.
/// </summary>
/// <remarks>
/// The answers are those of the float search on the decoded values, bit for bit: the integer pass shortlists a few
/// more rows than asked for, a bound on the difference between the grid distance and the float distance proves the
/// shortlist holds the float search's k nearest, and the shortlist is re-ranked with the float search's own exact
/// distance. Queries the bound cannot settle are scanned exactly; queries that are not on the grid are answered by
/// the float search, over a float copy of the matrix made on first need.
/// <para>
/// The integer pass prunes exactly: coordinates are stored in <see cref="CoordinateOrder"/> (in memory only; the
/// model file keeps the training order), queries are packed in <see cref="QueryOrder"/>, and a tile stops at a
/// checkpoint once every partial distance has reached a sum its query's shortlist would reject
/// (<see cref="PartialSumChecks"/>). Shortlists, and so the answers, are those of the full pass.
/// </para>
/// </remarks>
internal sealed unsafe class ByteNeighborIndex : INeighborSearch
{
    private const double Roundoff = 1.0 / (1 << 24);

    /// <summary>
    /// The rows in scan order (<see cref="ByteRowGroups.ScanOrder"/>), so that a tile's six rows are contiguous, each
    /// with its coordinates in <see cref="_coordinateOrder"/>.
    /// </summary>
    private readonly byte[] _rows;

    /// <summary>The training coordinate stored at each position of a row (<see cref="CoordinateOrder.ByVariance"/>).</summary>
    private readonly int[] _coordinateOrder;

    /// <summary>
    /// L2: Σy² of each stored row over the coordinates before each checkpoint, <see cref="Checkpoints"/> per row,
    /// padded to whole tiles with zeros.
    /// </summary>
    private readonly int[] _rowSquares;

    /// <summary>The direction queries are sorted along before they are packed into panels.</summary>
    private readonly float[] _queryDirection;

    /// <summary>The training row stored at each position, and the position of each training row.</summary>
    private readonly int[] _scanOrder, _positionOf;

    /// <summary>‖y‖² by position.</summary>
    private readonly int[] _squaredNorms;
    private readonly Lazy<NeighborIndex> _floatIndex;
    private long _exactFallbacks, _tiles, _stoppedTiles;

    /// <summary>Wraps <paramref name="bytes"/>, <paramref name="count"/> rows of <paramref name="dimension"/> grid values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ByteNeighborIndex(byte[] bytes, ByteGrid grid, int count, int dimension, KnnDistance distance)
    {
        if (distance == KnnDistance.Cosine)
            throw new ArgumentOutOfRangeException(nameof(distance), distance, "The 8-bit search computes L1 and L2 distances.");
        if ((long)count * dimension != bytes.Length)
            throw new ArgumentException($"Expected {count}×{dimension} bytes, got {bytes.Length}.", nameof(bytes));
        Grid = grid;
        Count = count;
        Dimension = dimension;
        Distance = distance;
        Stride = (dimension + 7) / 8 * 8;
        // Partial sums fit 32 bits with room for the L2 checks' arithmetic (2·255²·Stride below 2³⁰).
        Checkpoints = distance == KnnDistance.L1 || 2L * 255 * 255 * Stride < 1 << 30 ? (Stride - 1) / KnnBlockSizes.CheckpointCoordinates : 0;
        float[][] directions = PrincipalDirections.Of(bytes, count, dimension, 2);
        _scanOrder = ByteRowGroups.ScanOrder(bytes, count, dimension, directions);
        _coordinateOrder = CoordinateOrder.ByVariance(bytes, count, dimension);
        _queryDirection = directions[0];
        _positionOf = new int[count];
        _rows = new byte[bytes.Length];
        _squaredNorms = new int[count];
        int tiles = (count + IByteDistanceTileKernel.Rows - 1) / IByteDistanceTileKernel.Rows;
        _rowSquares = new int[distance == KnnDistance.L2 ? tiles * IByteDistanceTileKernel.Rows * Checkpoints : 0];
        for (int position = 0; position < count; position++)
        {
            int row = _scanOrder[position];
            _positionOf[row] = position;
            ReadOnlySpan<byte> source = bytes.AsSpan(row * dimension, dimension);
            Span<byte> stored = _rows.AsSpan(position * dimension, dimension);
            int sum = 0;
            for (int i = 0; i < dimension; i++)
            {
                byte b = source[_coordinateOrder[i]];
                stored[i] = b;
                if (_rowSquares.Length > 0 && i % KnnBlockSizes.CheckpointCoordinates == 0 && i > 0 && i / KnnBlockSizes.CheckpointCoordinates <= Checkpoints)
                    _rowSquares[position * Checkpoints + i / KnnBlockSizes.CheckpointCoordinates - 1] = sum;
                sum += b * b;
            }
            _squaredNorms[position] = sum;
        }
        _floatIndex = new Lazy<NeighborIndex>(() => new NeighborIndex(DecodeAll(), Count, Dimension, Distance));
    }

    public ByteGrid Grid { get; }

    public int Count { get; }

    public int Dimension { get; }

    public KnnDistance Distance { get; }

    /// <summary>Writes the bytes of training row <paramref name="row"/>, coordinates in training order.</summary>
    public void CopyRowBytes(int row, Span<byte> destination)
    {
        ReadOnlySpan<byte> stored = _rows.AsSpan(_positionOf[row] * Dimension, Dimension);
        for (int i = 0; i < stored.Length; i++)
            destination[_coordinateOrder[i]] = stored[i];
    }

    /// <summary>Decodes training row <paramref name="row"/> to the float values it was built from, in training order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DecodeRow(int row, Span<float> values)
    {
        ReadOnlySpan<byte> stored = _rows.AsSpan(_positionOf[row] * Dimension, Dimension);
        for (int i = 0; i < stored.Length; i++)
            values[_coordinateOrder[i]] = Grid.Decode(stored[i]);
    }

    /// <summary>Queries so far not settled by the shortlist and scanned exactly (diagnostics).</summary>
    internal long ExactFallbacks => Interlocked.Read(ref _exactFallbacks);

    /// <summary>The share of (six rows × one panel) tiles so far stopped early by a checkpoint (diagnostics).</summary>
    internal double StoppedTileShare => Interlocked.Read(ref _tiles) is var tiles and > 0 ? (double)Interlocked.Read(ref _stoppedTiles) / tiles : 0;

    /// <summary>Checkpoints per row at which tiles may stop early (<see cref="KnnBlockSizes.CheckpointCoordinates"/> apart).</summary>
    private int Checkpoints { get; }

    /// <summary>Bytes per padded row in the packed query panels.</summary>
    private int Stride { get; }

    /// <summary>The instruction set the integer pass uses on this processor, for the training log.</summary>
    public static string KernelDescription => TileKernelFor(NumericsSettings.InstructionSet) switch
    {
        SimdInstructionSet.Vector512 => "AVX-512BW (vpmaddwd for L2, vpsadbw for L1)",
        SimdInstructionSet.Vector256 => "AVX2 (vpmaddwd for L2, vpsadbw for L1)",
        _ => "portable scalar integer code",
    };

    /// <summary>
    /// The integer tile for the float kernel in force: the same instruction set when the processor has its integer
    /// instructions (AVX-512BW, AVX2), so forcing a kernel in tests and benchmarks forces the integer tile too.
    /// </summary>
    internal static SimdInstructionSet TileKernelFor(SimdInstructionSet kernel)
    {
        if (kernel == SimdInstructionSet.Vector512 && Vector512ByteTileKernel.IsSupported)
            return SimdInstructionSet.Vector512;
        if (kernel is SimdInstructionSet.Vector512 or SimdInstructionSet.Vector256 && Vector256ByteTileKernel.IsSupported)
            return SimdInstructionSet.Vector256;
        return SimdInstructionSet.Scalar;
    }

    /// <summary>Widens <paramref name="length"/> bytes to 16-bit values.</summary>
    private static void Widen(byte* source, short* destination, int length)
    {
        int i = 0;
        if (Vector512ByteTileKernel.IsSupported)
        {
            for (; i + 32 <= length; i += 32)
                Vector512.Store(Avx512BW.ConvertToVector512Int16(Vector256.Load(source + i)), destination + i);
        }
        else if (Vector256ByteTileKernel.IsSupported)
        {
            for (; i + 16 <= length; i += 16)
                Vector256.Store(Avx2.ConvertToVector256Int16(Vector128.Load(source + i)), destination + i);
        }
        for (; i < length; i++)
            destination[i] = source[i];
    }

    /// <summary>The training matrix decoded to the float values it was built from.</summary>
    public float[] DecodeAll()
    {
        var values = new float[_rows.Length];
        for (int row = 0; row < Count; row++)
            DecodeRow(row, values.AsSpan(row * Dimension, Dimension));
        return values;
    }

    public void Search(ReadOnlySpan<float> queries, int queryCount, int k, Span<int> indices, Span<float> distances)
    {
        NeighborIndex.ValidateSearch(Count, Dimension, queries.Length, queryCount, k, indices.Length, distances.Length);
        if (queryCount == 0)
            return;
        // Integer keys are exact, so a few rows beyond k suffice to prove a shortlist complete (exact ties aside), and
        // a short list gives the tiles a tight limit to stop at.
        int shortlist = Math.Min(Count, k + 8);
        if (shortlist > KnnBlockSizes.MaxShortlist)
        {
            _floatIndex.Value.Search(queries, queryCount, k, indices, distances);
            return;
        }
        var found = new byte[(long)queryCount * Stride];
        var onGrid = new List<int>(queryCount);
        var offGrid = new List<int>();
        for (int q = 0; q < queryCount; q++)
        {
            if (Grid.TryEncode(queries.Slice(q * Dimension, Dimension), found.AsSpan(onGrid.Count * Stride, Dimension)))
                onGrid.Add(q);
            else
                offGrid.Add(q);
        }
        if (offGrid.Count > 0)
            SearchOffGrid(queries, offGrid, k, indices, distances);
        if (onGrid.Count == 0)
            return;
        // Similar queries side by side, so that a panel's tiles stop early together.
        int[] sorted = QueryOrder.Sort(found, onGrid.Count, Stride, _queryDirection);
        var encoded = new byte[found.Length];
        var queryIds = new int[sorted.Length];
        for (int i = 0; i < sorted.Length; i++)
        {
            found.AsSpan(sorted[i] * Stride, Stride).CopyTo(encoded.AsSpan(i * Stride));
            queryIds[i] = onGrid[sorted[i]];
        }
        fixed (float* queryData = queries)
        fixed (int* indexData = indices)
        fixed (float* distanceData = distances)
        fixed (byte* encodedData = encoded)
        fixed (byte* rows = _rows)
        {
            var search = new Shortlisting(this, rows, queryData, indexData, distanceData, k, encodedData, queryIds, shortlist);
            search.Run();
        }
    }

    /// <summary>Queries off the grid go to the float search, which needs the decoded matrix.</summary>
    private void SearchOffGrid(ReadOnlySpan<float> queries, List<int> offGrid, int k, Span<int> indices, Span<float> distances)
    {
        var gathered = new float[offGrid.Count * Dimension];
        for (int i = 0; i < offGrid.Count; i++)
            queries.Slice(offGrid[i] * Dimension, Dimension).CopyTo(gathered.AsSpan(i * Dimension));
        var foundRows = new int[offGrid.Count * k];
        var foundDistances = new float[offGrid.Count * k];
        _floatIndex.Value.Search(gathered, offGrid.Count, k, foundRows, foundDistances);
        for (int i = 0; i < offGrid.Count; i++)
        {
            foundRows.AsSpan(i * k, k).CopyTo(indices.Slice(offGrid[i] * k, k));
            foundDistances.AsSpan(i * k, k).CopyTo(distances.Slice(offGrid[i] * k, k));
        }
    }

    /// <summary>
    /// Whether every row left out of a shortlist (integer key ≥ <paramref name="lastKey"/>) is provably farther, in
    /// the float search's distance, than the k-th shortlisted row (key <paramref name="kthKey"/>). Keys are exact
    /// integers (L1 sums; L2 squared distances) rounded once to float. A decoded value differs from byte·step by
    /// at most a relative <see cref="ByteGrid.RelativeError"/>, so each float distance lies within
    /// <c>slack</c> of step·(integer distance); the double-precision sum and its rounding to float add a few
    /// units of roundoff, covered by a relative margin.
    /// </summary>
    private bool ShortlistIsConclusive(float kthKey, float lastKey)
    {
        double relative = 1 + 8 * Roundoff;
        double kth = kthKey * (1 + Roundoff) + 1, last = lastKey * (1 - Roundoff) - 1;
        double error = Grid.RelativeError;
        if (Distance == KnnDistance.L1)
        {
            // |x̃ − ỹ| differs from |x − y|·step by at most error·(x + y)·step ≤ error·510·step per coordinate.
            double slack = error * 510 * Dimension;
            return last - slack > (kth + slack) * relative;
        }
        // The vector of coordinate errors has norm at most error·510·√d (in units of the step).
        double normSlack = error * 510 * Math.Sqrt(Dimension);
        return Math.Sqrt(Math.Max(0, last)) - normSlack > (Math.Sqrt(kth) + normSlack) * relative;
    }

    /// <summary>One call's integer pass over the on-grid queries, then the proof and the float re-ranking.</summary>
    private sealed class Shortlisting
    {
        private readonly ByteNeighborIndex _index;
        private readonly byte* _rows, _encoded;
        private readonly float* _queries, _distances;
        private readonly int* _indices;
        private readonly int _k, _shortlist;
        private readonly int[] _queryIds;

        public Shortlisting(ByteNeighborIndex index, byte* rows, float* queries, int* indices, float* distances,
            int k, byte* encoded, int[] queryIds, int shortlist)
        {
            _index = index;
            _rows = rows;
            _queries = queries;
            _indices = indices;
            _distances = distances;
            _k = k;
            _encoded = encoded;
            _queryIds = queryIds;
            _shortlist = shortlist;
        }

        public void Run()
        {
            switch (TileKernelFor(NumericsSettings.InstructionSet))
            {
                case SimdInstructionSet.Vector512:
                    Run<Vector512ByteTileKernel>();
                    break;
                case SimdInstructionSet.Vector256:
                    Run<Vector256ByteTileKernel>();
                    break;
                default:
                    Run<ScalarByteTileKernel>();
                    break;
            }
        }

        private void Run<TKernel>() where TKernel : IByteDistanceTileKernel
        {
            int width = _index.Distance == KnnDistance.L1 ? TKernel.L1Columns : TKernel.DotColumns;
            int chunk = width * KnnBlockSizes.PanelsPerChunk;
            for (int first = 0; first < _queryIds.Length; first += chunk)
            {
                int count = Math.Min(chunk, _queryIds.Length - first);
                var candidates = new NeighborCandidates(count, _shortlist, (count + width - 1) / width * width);
                new IntegerPass<TKernel>(this, first, count, width).Collect(candidates);
                var unproven = new bool[count];
                ParallelWork.For(count, q => unproven[q] = !Rerank(first + q, candidates, q));
                var fallback = Enumerable.Range(0, count).Where(q => unproven[q]).Select(q => first + q).ToArray();
                Interlocked.Add(ref _index._exactFallbacks, fallback.Length);
                ParallelWork.For(fallback.Length, i => ExactScan(fallback[i]));
            }
        }

        /// <summary>
        /// The integer pass over one chunk of queries: panels of queries against groups of six training rows (in
        /// <see cref="ByteRowGroups.ScanOrder"/>), screened into shortlists.
        /// </summary>
        private sealed class IntegerPass<TKernel> where TKernel : IByteDistanceTileKernel
        {
            private readonly Shortlisting _search;
            private readonly ByteNeighborIndex _index;
            private readonly int _first, _count, _width, _panels;
            private readonly bool _l1;
            private readonly int[] _queryNorms;

            /// <summary>L2: per panel, per checkpoint, per query: Σx² over the coordinates before the checkpoint.</summary>
            private readonly int[] _querySquares;
            private byte* _packed;

            public IntegerPass(Shortlisting search, int first, int count, int width)
            {
                _search = search;
                _index = search._index;
                _first = first;
                _count = count;
                _width = width;
                _panels = (count + width - 1) / width;
                _l1 = _index.Distance == KnnDistance.L1;
                _queryNorms = new int[_panels * width];
                _querySquares = new int[_l1 ? 0 : _panels * _index.Checkpoints * width];
            }

            /// <summary>Per query: the smallest integer sum its shortlist rejects (padding queries reject everything).</summary>
            private int[] NewLimits(int paddedCount)
            {
                var limits = new int[paddedCount];
                limits.AsSpan(0, _count).Fill(int.MaxValue);
                return limits;
            }

            /// <summary>
            /// The smallest integer m with (float)m ≥ <paramref name="threshold"/>: an exact sum at or beyond it becomes
            /// a key the shortlist rejects (keys are admitted only strictly below the threshold), and partial sums
            /// only grow.
            /// </summary>
            private static int LimitFor(float threshold)
            {
                if (!(threshold > 0))
                    return 0;
                if (threshold >= int.MaxValue)
                    return int.MaxValue;
                long m = (long)Math.Ceiling(threshold);
                while (m > 0 && (float)(m - 1) >= threshold)
                    m--;
                while ((float)m < threshold)
                    m++;
                return (int)Math.Min(m, int.MaxValue);
            }

            /// <summary>Bytes of one packed panel: 16-bit values for dot products, bytes for L1.</summary>
            private long PanelBytes => _l1 ? (long)_index.Stride * _width : (long)_index.Stride * _width * sizeof(short);

            public void Collect(NeighborCandidates candidates)
            {
                using PinnedBuffer packedBuffer = PinnedBuffer.Rent((_panels * PanelBytes + 3) / 4 + 16);
                _packed = (byte*)packedBuffer.Pointer;
                ParallelWork.For(_panels, PackPanel);
                int n = _index.Count, rows = IByteDistanceTileKernel.Rows;
                int items = (_panels + KnnBlockSizes.BytePanelsPerItem - 1) / KnnBlockSizes.BytePanelsPerItem;
                if (items < NumericsSettings.MaxDegreeOfParallelism && n >= KnnBlockSizes.RowParts * KnnBlockSizes.MinRowsPerPart)
                {
                    // Few queries: split the rows into a fixed number of parts (fixed, so threads do not change the answer).
                    int rowsPerPart = (n / KnnBlockSizes.RowParts + rows - 1) / rows * rows;
                    var parts = new NeighborCandidates[KnnBlockSizes.RowParts];
                    ParallelWork.For(KnnBlockSizes.RowParts, part =>
                    {
                        parts[part] = new NeighborCandidates(_count, candidates.Capacity, candidates.Thresholds.Length);
                        int[] partLimits = NewLimits(candidates.Thresholds.Length);
                        int start = Math.Min(n, part * rowsPerPart), end = part == KnnBlockSizes.RowParts - 1 ? n : Math.Min(n, (part + 1) * rowsPerPart);
                        for (int item = 0; item < items; item++)
                            Scan(item, start, end, parts[part], partLimits);
                    });
                    candidates.Merge(parts);
                    return;
                }
                int rowsPerBlock = Math.Max(rows, KnnBlockSizes.TrainingBlockBytes / _index.Stride / rows * rows);
                int[] limits = NewLimits(candidates.Thresholds.Length);
                for (int row0 = 0; row0 < n; row0 += rowsPerBlock)
                {
                    int start = row0, end = Math.Min(n, row0 + rowsPerBlock);
                    ParallelWork.For(items, item => Scan(item, start, end, candidates, limits));
                }
            }

            /// <summary>Lays one panel of encoded queries out as the tiles read it (zero queries pad the last panel).</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private void PackPanel(int panel)
            {
                int stride = _index.Stride, width = _width, dimension = _index.Dimension, checkpoints = _index.Checkpoints;
                byte* destination = _packed + panel * PanelBytes;
                new Span<byte>(destination, (int)PanelBytes).Clear();
                // The query in the stored coordinate order, zero-padded to the stride.
                byte[] ordered = new byte[stride];
                int[] order = _index._coordinateOrder;
                for (int j = 0; j < width; j++)
                {
                    int local = panel * width + j;
                    if (local >= _count)
                        break;
                    byte* source = _search._encoded + (long)(_first + local) * stride;
                    int norm = 0;
                    for (int p = 0; p < dimension; p++)
                    {
                        byte b = source[order[p]];
                        ordered[p] = b;
                        if (!_l1 && p % KnnBlockSizes.CheckpointCoordinates == 0 && p > 0 && p / KnnBlockSizes.CheckpointCoordinates <= checkpoints)
                            _querySquares[(panel * checkpoints + p / KnnBlockSizes.CheckpointCoordinates - 1) * width + j] = norm;
                        norm += b * b;
                    }
                    _queryNorms[local] = norm;
                    if (_l1)
                    {
                        // Per group of 8 coordinates: width queries × 8 bytes.
                        for (int p = 0; p < stride; p++)
                            destination[(p / 8) * width * 8 + j * 8 + (p & 7)] = ordered[p];
                    }
                    else
                    {
                        // Per pair of coordinates: width queries × two 16-bit values.
                        short* d16 = (short*)destination;
                        for (int p = 0; p < stride; p++)
                            d16[(p / 2) * width * 2 + j * 2 + (p & 1)] = ordered[p];
                    }
                }
            }

            /// <summary>One work item: its panels against the training rows at scan positions [start, end).</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private void Scan(int item, int start, int end, NeighborCandidates candidates, int[] limits)
            {
                const int rows = IByteDistanceTileKernel.Rows;
                int stride = _index.Stride, dimension = _index.Dimension, width = _width, n = _index.Count;
                int firstPanel = item * KnnBlockSizes.BytePanelsPerItem, lastPanel = Math.Min(_panels, firstPanel + KnnBlockSizes.BytePanelsPerItem);
                long panelBytes = PanelBytes;
                // Scratch on the heap (one set per work item): rows of any dimension would overflow a worker's stack.
                int checkpoints = _index.Checkpoints, unitsPerCheckpoint = KnnBlockSizes.CheckpointCoordinates / (_l1 ? 8 : 2);
                var scratch = new Scratch(rows * width, stride / 2, rows * stride, checkpoints);
                int* tile = scratch.Tile, units = scratch.Units, ends = scratch.Ends;
                long tiles = 0, stopped = 0;
                short* widened = scratch.Widened;
                byte* gathered = scratch.Gathered;
                for (int row0 = start; row0 < end; row0 += rows)
                {
                    int valid = Math.Min(rows, n - row0);
                    byte* source = _search._rows + (long)row0 * dimension;
                    if (valid < rows || stride != dimension)
                    {
                        // Rows are stored unpadded: a ragged dimension or the last rows go through a zero-padded copy.
                        new Span<byte>(gathered, rows * stride).Clear();
                        for (int r = 0; r < valid; r++)
                            Buffer.MemoryCopy(source + r * dimension, gathered + r * stride, stride, dimension);
                        source = gathered;
                    }
                    int active, zero = 0;
                    if (_l1)
                    {
                        active = ByteRowGroups.SplitGroupsOfEight(source, stride, units, out zero);
                    }
                    else
                    {
                        Widen(source, widened, rows * stride);
                        active = ByteRowGroups.ActivePairs(widened, stride, units);
                    }
                    // The listed units (ascending) before each checkpoint.
                    for (int check = 0, u = 0; check < checkpoints; check++)
                    {
                        while (u < active && units[u] < (check + 1) * unitsPerCheckpoint)
                            u++;
                        ends[check] = u;
                    }
                    fixed (int* limitData = limits)
                    fixed (int* rowSquares = _index._rowSquares)
                    fixed (int* querySquares = _querySquares)
                    {
                        for (int panel = firstPanel; panel < lastPanel; panel++)
                        {
                            byte* panelData = _packed + panel * panelBytes;
                            var checks = new PartialSumChecks(checkpoints, ends, limitData + panel * width,
                                rowSquares + (nint)row0 * checkpoints, querySquares + (nint)panel * checkpoints * width);
                            bool complete = _l1
                                ? TKernel.L1(source, stride, panelData, units, active, zero, checks, tile)
                                : TKernel.Dot(widened, stride, (short*)panelData, units, active, checks, tile);
                            tiles++;
                            if (complete)
                                Screen(tile, row0, valid, panel * width, candidates, limits);
                            else
                                stopped++;
                        }
                    }
                }
                Interlocked.Add(ref _index._tiles, tiles);
                Interlocked.Add(ref _index._stoppedTiles, stopped);
                GC.KeepAlive(scratch);
            }

            /// <summary>A work item's buffers, allocated pinned (they are only reached through pointers while alive).</summary>
            private sealed class Scratch(int tileLength, int unitLength, int rowLength, int checkpoints)
            {
                private readonly int[] _ends = GC.AllocateUninitializedArray<int>(Math.Max(1, checkpoints), pinned: true);
                private readonly int[] _tile = GC.AllocateUninitializedArray<int>(tileLength, pinned: true);
                private readonly int[] _units = GC.AllocateUninitializedArray<int>(unitLength, pinned: true);
                private readonly short[] _widened = GC.AllocateUninitializedArray<short>(rowLength, pinned: true);
                private readonly byte[] _gathered = GC.AllocateUninitializedArray<byte>(rowLength, pinned: true);

                public int* Tile => (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_tile));
                public int* Units => (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_units));
                public int* Ends => (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_ends));
                public short* Widened => (short*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_widened));
                public byte* Gathered => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_gathered));
            }

            /// <summary>Turns a tile of integer sums into keys (exact squared L2 or L1 distances) and offers the good ones.</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private void Screen(int* tile, int position0, int validRows, int firstQuery, NeighborCandidates candidates, int[] queryLimits)
            {
                int width = _width, count = candidates.QueryCount;
                float[] thresholds = candidates.Thresholds;
                int columns = Math.Min(width, count - firstQuery);
                fixed (float* limits = thresholds)
                fixed (int* norms = _queryNorms)
                {
                    for (int r = 0; r < validRows; r++)
                    {
                        int row = _index._scanOrder[position0 + r];
                        int rowNorm = _index._squaredNorms[position0 + r];
                        int* sums = tile + r * width;
                        int j = 0;
                        if (Vector256.IsHardwareAccelerated)
                        {
                            // Eight keys at a time against their thresholds; most tiles admit nothing.
                            Vector256<int> offset = Vector256.Create(rowNorm);
                            for (; j + 8 <= columns; j += 8)
                            {
                                Vector256<int> sum = Vector256.Load(sums + j);
                                Vector256<int> exact = _l1 ? sum : offset - sum - sum + Vector256.Load(norms + firstQuery + j);
                                Vector256<float> keys = Vector256.ConvertToSingle(exact);
                                uint below = Vector256.LessThan(keys, Vector256.Load(limits + firstQuery + j)).ExtractMostSignificantBits();
                                while (below != 0)
                                {
                                    int lane = System.Numerics.BitOperations.TrailingZeroCount(below);
                                    below &= below - 1;
                                    int q = firstQuery + j + lane;
                                    float key = keys.GetElement(lane);
                                    // An earlier offer may have lowered the threshold.
                                    if (key < limits[q])
                                    {
                                        candidates.Offer(q, key, row);
                                        queryLimits[q] = LimitFor(limits[q]);
                                    }
                                }
                            }
                        }
                        for (; j < columns; j++)
                        {
                            int q = firstQuery + j;
                            float key = _l1 ? sums[j] : rowNorm - 2 * sums[j] + norms[q];
                            if (key < limits[q])
                            {
                                candidates.Offer(q, key, row);
                                queryLimits[q] = LimitFor(limits[q]);
                            }
                        }
                    }
                }
            }
        }

        /// <summary>Re-ranks one shortlist with the float distance; false when the bound cannot prove it complete.</summary>
        private bool Rerank(int local, NeighborCandidates candidates, int slot)
        {
            int k = _k, capacity = candidates.Capacity, count = candidates.Counts[slot];
            if (count < capacity)
                return false;
            ReadOnlySpan<float> keys = candidates.Keys.AsSpan(slot * capacity, capacity);
            if (capacity < _index.Count && !_index.ShortlistIsConclusive(keys[k - 1], keys[capacity - 1]))
                return false;
            int query = _queryIds[local];
            var x = new ReadOnlySpan<float>(_queries + (nint)query * _index.Dimension, _index.Dimension);
            Span<float> exact = stackalloc float[capacity];
            Span<int> rows = stackalloc int[capacity];
            Span<float> y = _index.Dimension <= 4096 ? stackalloc float[_index.Dimension] : new float[_index.Dimension];
            candidates.Rows.AsSpan(slot * capacity, capacity).CopyTo(rows);
            for (int i = 0; i < capacity; i++)
            {
                _index.DecodeRow(rows[i], y);
                exact[i] = DistanceFormulas.Distance(x, y, _index.Distance);
            }
            NeighborIndex.SortByDistanceThenRow(exact, rows);
            Write(query, exact, rows);
            return true;
        }

        /// <summary>The float search's reference answer for one query, over rows decoded one at a time.</summary>
        private void ExactScan(int local)
        {
            int query = _queryIds[local], dimension = _index.Dimension;
            var x = new ReadOnlySpan<float>(_queries + (nint)query * dimension, dimension);
            var y = new float[dimension];
            var best = new float[_k];
            var bestRows = new int[_k];
            int filled = 0;
            for (int r = 0; r < _index.Count; r++)
            {
                _index.DecodeRow(r, y);
                NeighborIndex.Keep(DistanceFormulas.Distance(x, y, _index.Distance), r, best, bestRows, ref filled);
            }
            Write(query, best, bestRows);
        }

        private void Write(int query, ReadOnlySpan<float> distances, ReadOnlySpan<int> rows)
        {
            for (int j = 0; j < _k; j++)
            {
                _indices[query * _k + j] = rows[j];
                _distances[query * _k + j] = distances[j];
            }
        }
    }
}
