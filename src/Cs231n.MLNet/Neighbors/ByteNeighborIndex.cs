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
/// </remarks>
internal sealed unsafe class ByteNeighborIndex : INeighborSearch
{
    private const int MaxShortlist = 256;
    private const int TrainingBlockBytes = 4 << 20;
    private const int PanelsPerItem = 2;
    private const int RowParts = 8;
    private const double Roundoff = 1.0 / (1 << 24);

    private readonly byte[] _rows;
    private readonly int[] _squaredNorms;
    private readonly Lazy<NeighborIndex> _floatIndex;
    private long _exactFallbacks;

    /// <summary>Wraps <paramref name="bytes"/>, <paramref name="count"/> rows of <paramref name="dimension"/> grid values.</summary>
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
        _rows = bytes;
        _squaredNorms = new int[count];
        for (int r = 0; r < count; r++)
        {
            int sum = 0;
            foreach (byte b in bytes.AsSpan(r * dimension, dimension))
                sum += b * b;
            _squaredNorms[r] = sum;
        }
        _floatIndex = new Lazy<NeighborIndex>(() => new NeighborIndex(DecodeAll(), Count, Dimension, Distance));
    }

    public ByteGrid Grid { get; }

    public int Count { get; }

    public int Dimension { get; }

    public KnnDistance Distance { get; }

    /// <summary>The training rows as stored: Count × Dimension bytes.</summary>
    public ReadOnlyMemory<byte> Bytes => _rows;

    /// <summary>Queries so far not settled by the shortlist and scanned exactly (diagnostics).</summary>
    internal long ExactFallbacks => Interlocked.Read(ref _exactFallbacks);

    /// <summary>Bytes per padded row in the packed query panels.</summary>
    private int Stride { get; }

    /// <summary>The instruction set the integer pass uses on this processor, for the training log.</summary>
    public static string KernelDescription => ByteDistanceTileKernels.Vector512Supported
        ? "AVX-512BW (vpmaddwd for L2, vpsadbw for L1)" : "portable scalar integer code";

    /// <summary>The training matrix decoded to the float values it was built from.</summary>
    public float[] DecodeAll()
    {
        var values = new float[_rows.Length];
        Grid.Decode(_rows, values);
        return values;
    }

    public void Search(ReadOnlySpan<float> queries, int queryCount, int k, Span<int> indices, Span<float> distances)
    {
        NeighborIndex.ValidateSearch(Count, Dimension, queries.Length, queryCount, k, indices.Length, distances.Length);
        if (queryCount == 0)
            return;
        int shortlist = Math.Min(Count, 2 * k + 8);
        if (shortlist > MaxShortlist)
        {
            _floatIndex.Value.Search(queries, queryCount, k, indices, distances);
            return;
        }
        var encoded = new byte[(long)queryCount * Stride];
        var onGrid = new List<int>(queryCount);
        var offGrid = new List<int>();
        for (int q = 0; q < queryCount; q++)
        {
            if (Grid.TryEncode(queries.Slice(q * Dimension, Dimension), encoded.AsSpan(onGrid.Count * Stride, Dimension)))
                onGrid.Add(q);
            else
                offGrid.Add(q);
        }
        if (offGrid.Count > 0)
            SearchOffGrid(queries, offGrid, k, indices, distances);
        if (onGrid.Count == 0)
            return;
        fixed (float* queryData = queries)
        fixed (int* indexData = indices)
        fixed (float* distanceData = distances)
        fixed (byte* encodedData = encoded)
        fixed (byte* rows = _rows)
        {
            var search = new Shortlisting(this, rows, queryData, indexData, distanceData, k, encodedData, onGrid.ToArray(), shortlist);
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
        private readonly int _mode; // 0: AVX-512 dot, 1: AVX-512 L1, 2: scalar
        private readonly int _width;

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
            bool l1 = index.Distance == KnnDistance.L1;
            // Forcing the scalar GEMM kernel (tests, benchmarks) forces the portable integer tile too.
            bool vector = ByteDistanceTileKernels.Vector512Supported && NumericsSettings.InstructionSet != SimdInstructionSet.Scalar;
            _mode = !vector ? 2 : l1 ? 1 : 0;
            _width = _mode switch { 0 => ByteDistanceTileKernels.DotColumns, 1 => ByteDistanceTileKernels.L1Columns, _ => ByteDistanceTileKernels.ScalarColumns };
        }

        public void Run()
        {
            int chunk = _width * 64;
            for (int first = 0; first < _queryIds.Length; first += chunk)
            {
                int count = Math.Min(chunk, _queryIds.Length - first);
                var candidates = new NeighborCandidates(count, _shortlist, (count + _width - 1) / _width * _width);
                Collect(first, count, candidates);
                var unproven = new bool[count];
                ParallelWork.For(count, q => unproven[q] = !Rerank(first + q, candidates, q));
                var fallback = Enumerable.Range(0, count).Where(q => unproven[q]).Select(q => first + q).ToArray();
                Interlocked.Add(ref _index._exactFallbacks, fallback.Length);
                ParallelWork.For(fallback.Length, i => ExactScan(fallback[i]));
            }
        }

        /// <summary>The integer pass: panels of queries against blocks of training rows, screened into shortlists.</summary>
        private void Collect(int first, int count, NeighborCandidates candidates)
        {
            int panels = (count + _width - 1) / _width;
            long panelBytes = PanelBytes;
            using PinnedBuffer packedBuffer = PinnedBuffer.Rent((panels * panelBytes + 3) / 4 + 16);
            byte* packed = (byte*)packedBuffer.Pointer;
            var queryNorms = new int[panels * _width];
            ParallelWork.For(panels, panel => PackPanel(first, count, panel, packed + panel * panelBytes, queryNorms));
            int n = _index.Count;
            int items = (panels + PanelsPerItem - 1) / PanelsPerItem;
            if (items < NumericsSettings.MaxDegreeOfParallelism && n >= RowParts * 512)
            {
                // Few queries: split the rows into a fixed number of parts (fixed, so threads do not change the answer).
                int rowsPerPart = (n / RowParts + ByteDistanceTileKernels.Rows - 1) / ByteDistanceTileKernels.Rows * ByteDistanceTileKernels.Rows;
                var parts = new NeighborCandidates[RowParts];
                ParallelWork.For(RowParts, part =>
                {
                    parts[part] = new NeighborCandidates(count, _shortlist, candidates.Thresholds.Length);
                    int start = Math.Min(n, part * rowsPerPart), end = part == RowParts - 1 ? n : Math.Min(n, (part + 1) * rowsPerPart);
                    for (int item = 0; item < items; item++)
                        Scan(item, panels, start, end, packed, queryNorms, parts[part]);
                });
                candidates.Merge(parts);
                return;
            }
            int rowsPerBlock = Math.Max(ByteDistanceTileKernels.Rows, TrainingBlockBytes / _index.Stride / ByteDistanceTileKernels.Rows * ByteDistanceTileKernels.Rows);
            for (int row0 = 0; row0 < n; row0 += rowsPerBlock)
            {
                int start = row0, end = Math.Min(n, row0 + rowsPerBlock);
                ParallelWork.For(items, item => Scan(item, panels, start, end, packed, queryNorms, candidates));
            }
        }

        private long PanelBytes => _mode == 0 ? (long)_index.Stride * _width * sizeof(short) : (long)_index.Stride * _width;

        /// <summary>Lays one panel of encoded queries out as its kernel reads them (zero queries pad the last panel).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PackPanel(int first, int count, int panel, byte* destination, int[] queryNorms)
        {
            int stride = _index.Stride, width = _width;
            new Span<byte>(destination, (int)PanelBytes).Clear();
            for (int j = 0; j < width; j++)
            {
                int local = panel * width + j;
                if (local >= count)
                    break;
                byte* x = _encoded + (long)(first + local) * stride;
                int norm = 0;
                for (int p = 0; p < _index.Dimension; p++)
                    norm += x[p] * x[p];
                queryNorms[local] = norm;
                switch (_mode)
                {
                    case 0:
                        // Per pair of coordinates: 64 queries × two 16-bit values.
                        short* d16 = (short*)destination;
                        for (int p = 0; p < stride; p++)
                            d16[(p / 2) * width * 2 + j * 2 + (p & 1)] = x[p];
                        break;
                    case 1:
                        // Per group of 8 coordinates: 32 queries × 8 bytes.
                        for (int p = 0; p < stride; p++)
                            destination[(p / 8) * width * 8 + j * 8 + (p & 7)] = x[p];
                        break;
                    default:
                        Buffer.MemoryCopy(x, destination + (long)j * stride, stride, stride);
                        break;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Scan(int item, int panels, int start, int end, byte* packed, int[] queryNorms, NeighborCandidates candidates)
        {
            const int rows = ByteDistanceTileKernels.Rows;
            int stride = _index.Stride, dimension = _index.Dimension, width = _width, n = _index.Count;
            int firstPanel = item * PanelsPerItem, lastPanel = Math.Min(panels, firstPanel + PanelsPerItem);
            long panelBytes = PanelBytes;
            int* tile = stackalloc int[rows * width];
            short* widened = stackalloc short[rows * stride];
            byte* group = stackalloc byte[rows * stride + 64];
            for (int row0 = start; row0 < end; row0 += rows)
            {
                int valid = Math.Min(rows, n - row0);
                byte* source = _rows + (long)row0 * dimension;
                if (valid < rows || stride != dimension)
                {
                    // Rows are stored unpadded: a ragged dimension or the last rows go through a zero-padded copy.
                    new Span<byte>(group, rows * stride).Clear();
                    for (int r = 0; r < valid; r++)
                        Buffer.MemoryCopy(_rows + (long)(row0 + r) * dimension, group + r * stride, stride, dimension);
                    source = group;
                }
                if (_mode == 0)
                    Widen(source, widened, rows * stride);
                for (int panel = firstPanel; panel < lastPanel; panel++)
                {
                    byte* panelData = packed + panel * panelBytes;
                    switch (_mode)
                    {
                        case 0:
                            ByteDistanceTileKernels.Dot(widened, stride, (short*)panelData, stride / 2, tile);
                            break;
                        case 1:
                            ByteDistanceTileKernels.L1(source, stride, panelData, stride / 8, tile);
                            break;
                        default:
                            ByteDistanceTileKernels.Scalar(source, panelData, stride, stride, _index.Distance == KnnDistance.L1, tile);
                            break;
                    }
                    Screen(tile, row0, valid, panel * width, queryNorms, candidates);
                }
            }
        }

        private static void Widen(byte* source, short* destination, int length)
        {
            int i = 0;
            if (Avx512BW.IsSupported)
            {
                for (; i + 32 <= length; i += 32)
                    Vector512.Store(Avx512BW.ConvertToVector512Int16(Vector256.Load(source + i)), destination + i);
            }
            for (; i < length; i++)
                destination[i] = source[i];
        }

        /// <summary>Turns a tile of integer sums into keys (exact squared L2 or L1 distances) and offers the good ones.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Screen(int* tile, int row0, int validRows, int firstQuery, int[] queryNorms, NeighborCandidates candidates)
        {
            int width = _width, count = candidates.QueryCount;
            bool l2 = _index.Distance == KnnDistance.L2;
            float[] thresholds = candidates.Thresholds;
            int columns = Math.Min(width, count - firstQuery);
            fixed (float* limits = thresholds)
            fixed (int* norms = queryNorms)
            {
                for (int r = 0; r < validRows; r++)
                {
                    int row = row0 + r;
                    int rowNorm = _index._squaredNorms[row];
                    int* sums = tile + r * width;
                    int j = 0;
                    if (Vector256.IsHardwareAccelerated)
                    {
                        // Eight keys at a time against their thresholds; most tiles admit nothing.
                        Vector256<int> offset = Vector256.Create(rowNorm);
                        for (; j + 8 <= columns; j += 8)
                        {
                            Vector256<int> sum = Vector256.Load(sums + j);
                            Vector256<int> exact = l2 ? offset - sum - sum + Vector256.Load(norms + firstQuery + j) : sum;
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
                                    candidates.Offer(q, key, row);
                            }
                        }
                    }
                    for (; j < columns; j++)
                    {
                        int q = firstQuery + j;
                        float key = l2 ? rowNorm - 2 * sums[j] + norms[q] : sums[j];
                        if (key < limits[q])
                            candidates.Offer(q, key, row);
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
                _index.Grid.Decode(_index._rows.AsSpan(rows[i] * _index.Dimension, _index.Dimension), y);
                exact[i] = NeighborIndex.SimpleDistance(x, y, _index.Distance);
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
                _index.Grid.Decode(_index._rows.AsSpan(r * dimension, dimension), y);
                NeighborIndex.Keep(NeighborIndex.SimpleDistance(x, y, _index.Distance), r, best, bestRows, ref filled);
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
