using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// A stride-1, zero-padded correlation of a batch of C-channel images (one NCHW image per row) with F filters of
/// r×r, computed by Winograd's F(m×m, r×r) (<see cref="WinogradTransform"/>): the output is cut into m×m tiles, each
/// read from an α×α input tile; input tiles and filters are transformed, and for each of the α² tile positions ξ one
/// product <c>M[ξ] = V[ξ]·U[ξ]</c> of [tiles × C]·[C × F] does all the multiplications (on the GEMM's AVX-512
/// micro-kernel when F is a multiple of 64, through <see cref="Gemm"/> otherwise); the output transform brings each
/// tile back. Both gradients are computed in the same domain from the upstream
/// gradient's tiles dM = A dY Aᵀ: the filter gradient <c>dU[ξ] = V[ξ]ᵀ·dM[ξ]</c>, with the long tile dimension as the
/// GEMM's depth, then <c>dW = Gᵀ dU G</c>; the input gradient <c>dV[ξ] = dM[ξ]·U[ξ]ᵀ</c>, then B dV Bᵀ added onto
/// the padded image each tile was read from (the exact transpose of the forward pass, so no second set of
/// transformed filters and no transform of the padded upstream gradient are needed).
/// </summary>
/// <remarks>
/// <para>
/// Tiles overhanging the image read zeros (the padded copy extends to whole tiles) and their outputs past the image
/// are discarded; in the filter gradient the upstream gradient past the image is zero. Transforms vectorize over sixteen
/// channels or filters (<see cref="WinogradTiles"/>, AVX-512), which is why copies are channel-last and channel counts are
/// padded to a multiple of 16 in the buffers (the products use the real counts). The α² planes of each buffer are
/// one cache line more apart than they hold: with power-of-two plane sizes a tile's α² values all fell in one cache set.
/// </para>
/// <para>
/// Work is split into chunks of images fixed by the shapes alone; each chunk's tiles are transformed, multiplied and
/// transformed back by one thread (its products are small enough to run on the calling thread), and overlapping tiles of
/// the input gradient are added in a fixed order. The backward pass goes chunk by chunk as well: a chunk's dM is used for
/// both gradients while it is still in the cache (the whole batch's dM, 33 MB for the 2-conv network's second layer at
/// batch 128, would go through memory three times). The filter gradient is summed over a fixed run of chunks (a
/// group), the chunks in order, and the groups' sums are added in order at the end. Every value is thus computed by the
/// same operations for any thread count. Buffers grow to the largest batch and are reused.
/// </para>
/// </remarks>
internal sealed unsafe class WinogradCorrelation
{
    /// <summary>Tiles per chunk, the rows of each product: enough to amortise each sliver of B, few enough for the caches.</summary>
    private const int ChunkTiles = 128;

    /// <summary>Most groups of chunks the filter gradient is summed over separately (each keeps one partial dU).</summary>
    private const int MaxGradientGroups = 8;

    private readonly WinogradTransform _transform;
    private readonly WinogradMatrix _inputMatrix, _filterMatrix, _outputMatrix, _gradientMatrix, _filterGradientMatrix, _inputGradientMatrix;
    private readonly Action<int> _forwardSlot, _backwardSlot, _sumGroups, _filterGradientChannel, _biasGradient, _transformFilters;
    private float[] _u = [], _ut = [], _v = [], _partials = [], _du = [], _scratch = [], _planeSums = [];
    private int _images, _chunks, _slots, _groups, _vImages;
    private float[] _x = [], _y = [], _bias = [], _weights = [], _dw = [], _db = [], _dx = [];
    private bool _keep, _inputGradientWanted;

    /// <summary>Plans the correlation of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> images with <paramref name="filters"/> filters of <paramref name="transform"/>'s kernel size.</summary>
    public WinogradCorrelation(WinogradTransform transform, int channels, int height, int width, int filters, int padding)
    {
        _transform = transform;
        Channels = channels;
        Height = height;
        Width = width;
        Filters = filters;
        Padding = padding;
        int m = transform.OutputTile, r = transform.Kernel, alpha = transform.Alpha;
        OutputHeight = height + 2 * padding - r + 1;
        OutputWidth = width + 2 * padding - r + 1;
        if (OutputHeight < 1 || OutputWidth < 1 || padding < 0)
            throw new ArgumentException($"A {r}×{r} kernel with padding {padding} does not fit a {height}×{width} image.");
        TilesY = (OutputHeight + m - 1) / m;
        TilesX = (OutputWidth + m - 1) / m;
        ChannelStride = Alignment.RoundUp(channels, WinogradTiles.Lanes);
        FilterStride = Alignment.RoundUp(filters, WinogradTiles.Lanes);
        ChunkImages = Math.Max(1, ChunkTiles / TilesPerImage);
        _inputMatrix = new WinogradMatrix(transform.InputTransform, alpha, alpha);
        _filterMatrix = new WinogradMatrix(transform.FilterTransform, alpha, r);
        _outputMatrix = new WinogradMatrix(transform.OutputTransform, m, alpha);
        _gradientMatrix = new WinogradMatrix(transform.OutputTransform, m, alpha, transpose: true);
        _filterGradientMatrix = new WinogradMatrix(transform.FilterTransform, alpha, r, transpose: true);
        _inputGradientMatrix = new WinogradMatrix(transform.InputTransform, alpha, alpha, transpose: true);
        _forwardSlot = ForwardSlot;
        _backwardSlot = BackwardSlot;
        _sumGroups = SumGroups;
        _filterGradientChannel = FilterGradientChannel;
        _biasGradient = BiasGradient;
        _transformFilters = TransformFilters;
    }

    /// <summary>C, input channels.</summary>
    public int Channels { get; }

    /// <summary>H, input rows.</summary>
    public int Height { get; }

    /// <summary>W, input columns.</summary>
    public int Width { get; }

    /// <summary>F, filters (output channels).</summary>
    public int Filters { get; }

    /// <summary>Zero pixels on every side.</summary>
    public int Padding { get; }

    /// <summary>H + 2·pad − r + 1.</summary>
    public int OutputHeight { get; }

    /// <summary>W + 2·pad − r + 1.</summary>
    public int OutputWidth { get; }

    private int TilesY { get; }

    private int TilesX { get; }

    private int TilesPerImage => TilesY * TilesX;

    private int ChannelStride { get; }

    private int FilterStride { get; }

    private int ChunkImages { get; }

    private int Planes => _transform.Alpha * _transform.Alpha;

    /// <summary>Rows and columns of the channel-last padded input copy: whole tiles plus the kernel's reach.</summary>
    private int TiledHeight => TilesY * _transform.OutputTile + _transform.Kernel - 1;

    private int TiledWidth => TilesX * _transform.OutputTile + _transform.Kernel - 1;

    private int InputCopyLength => TiledHeight * TiledWidth * ChannelStride;

    private int GradientCopyLength => TilesY * _transform.OutputTile * TilesX * _transform.OutputTile * FilterStride;

    private int ProductLength => Planes * ChunkProductPlane;

    /// <summary>
    /// The kept V of one chunk: its α² planes side by side, and the chunks one after the other, so that a chunk's tiles
    /// are written and read back as one block of about 1 MB rather than as α² streams across the whole batch.
    /// </summary>
    private int KeptChunkLength => Planes * KeptChunkPlane;

    private int KeptChunkPlane => PlaneStride(ChunkImages * TilesPerImage, ChannelStride);

    /// <summary>Distance between the planes of a chunk's dM in the slot.</summary>
    private int ChunkProductPlane => PlaneStride(ChunkImages * TilesPerImage, FilterStride);

    private int TransformedChunkLength => Planes * PlaneStride(ChunkImages * TilesPerImage, Math.Max(ChannelStride, GradientWidth));

    /// <summary>
    /// Columns of the input gradient's products dV = dM·Uᵀ: at least 64, the packed GEMM's tile width, since a
    /// narrower product is computed transposed and written back element by element (several times slower here);
    /// the columns past C multiply zeros of the padded Uᵀ.
    /// </summary>
    // A multiple of the narrow tile's 32 columns: 32 channels (the usual second convolution) are not padded to 64.
    private int GradientWidth => Alignment.RoundUp(Channels, Vector512GemmMicroKernel.NarrowColumns);

    /// <summary>Distance between the planes of Uᵀ.</summary>
    private int TransposedFilterPlane => PlaneStride(Filters, GradientWidth);

    /// <summary>Distance between the planes of U and dU (one per tile position ξ).</summary>
    private int FilterPlane => PlaneStride(Channels, FilterStride);

    /// <summary>
    /// Distance between consecutive planes of <paramref name="rows"/> rows of <paramref name="width"/>: one cache line
    /// more than they hold, so that the α² values of one tile, one per plane, do not all fall in the same cache set
    /// (plane sizes are often powers of two).
    /// </summary>
    private static int PlaneStride(int rows, int width) => rows * width + WinogradTiles.Lanes;

    /// <summary>Scratch of one slot: input copy, gradient copy, product M, transformed chunk V or dV, and the input gradient's channel-last image.</summary>
    private int SlotLength => 2 * InputCopyLength + GradientCopyLength + ProductLength + TransformedChunkLength;

    /// <summary>Transforms the filters: U[ξ][c][f] = (G g Gᵀ)[ξ] with g = w[f, c], w being F×(C·r·r) row-major.</summary>
    public void SetFilters(float[] weights)
    {
        _weights = weights;
        ReusableBuffer.EnsureLength(ref _u, Planes * FilterPlane);
        ReusableBuffer.EnsureLength(ref _ut, Planes * TransposedFilterPlane);
        ParallelWork.For(Channels, _transformFilters);
    }

    private void TransformFilters(int channel)
    {
        int r = _transform.Kernel, alpha = _transform.Alpha, area = r * r, lanes = WinogradTiles.Lanes;
        float* g = stackalloc float[area * lanes];
        int plane = FilterPlane, transposedPlane = TransposedFilterPlane;
        fixed (float* w = _weights, u = _u, ut = _ut)
        {
            for (int f0 = 0; f0 < Filters; f0 += lanes)
            {
                for (int lane = 0; lane < lanes; lane++)
                {
                    int f = f0 + lane;
                    for (int p = 0; p < area; p++)
                        g[p * lanes + lane] = f < Filters ? w[(f * Channels + channel) * area + p] : 0f;
                }
                WinogradTiles.Apply(_filterMatrix, g, r * lanes, lanes, u + channel * FilterStride + f0, alpha * plane, plane);
            }
            // Uᵀ for the input gradient's products; its columns past C stay zero.
            for (int xi = 0; xi < Planes; xi++)
            {
                for (int f = 0; f < Filters; f++)
                    ut[xi * transposedPlane + f * GradientWidth + channel] = u[xi * plane + channel * FilterStride + f];
            }
        }
    }

    /// <summary>
    /// <c>y[n] = bias + x[n] ⋆ w</c> for the first <paramref name="images"/> rows of <paramref name="x"/> (C·H·W each) into
    /// <paramref name="y"/> (F·H'·W' each), with the filters of the last <see cref="SetFilters"/>. When
    /// <paramref name="keepTransformedInput"/>, the transformed input tiles stay for <see cref="Backward"/>.
    /// </summary>
    public void Forward(int images, float[] x, float[] y, float[] bias, bool keepTransformedInput)
    {
        _images = images;
        _x = x;
        _y = y;
        _bias = bias;
        _keep = keepTransformedInput;
        if (keepTransformedInput)
        {
            ReusableBuffer.EnsureLength(ref _v, (images + ChunkImages - 1) / ChunkImages * KeptChunkLength);
            _vImages = images;
        }
        RunSlots(_forwardSlot);
    }

    /// <summary>
    /// The gradients of the last kept forward pass for the upstream gradient <paramref name="dy"/> (F·H'·W' per row):
    /// adds the filter and bias gradients to <paramref name="dw"/> (F×(C·r·r)) and <paramref name="db"/>, and writes the
    /// input gradient (C·H·W per row) to <paramref name="dx"/> unless it is null.
    /// </summary>
    /// <remarks>
    /// Per chunk, dM = A dY Aᵀ; the filter gradient dU[ξ] = V[ξ]ᵀ·dM[ξ] over the chunk's tiles, added to its group's
    /// partial sum, then dW = Gᵀ dU G; and the input gradient dV[ξ] = dM[ξ]·U[ξ]ᵀ, then B dV Bᵀ added onto the padded
    /// image each tile was read from (the exact transpose of the forward pass, so no second set of transformed filters
    /// and no transform of the padded upstream gradient are needed).
    /// </remarks>
    public void Backward(float[] dy, float[] dw, float[] db, float[]? dx)
    {
        if (_vImages != _images || !_keep)
            throw new InvalidOperationException("The gradients need the transformed input of the last forward pass.");
        _y = dy;
        _dw = dw;
        _db = db;
        _dx = dx ?? [];
        _inputGradientWanted = dx is not null;
        _chunks = (_images + ChunkImages - 1) / ChunkImages;
        // Groups are whole runs of chunks fixed by the batch size; each slot takes whole groups, so a group's chunks are
        // summed in order by one thread whatever the thread count.
        _groups = Math.Min(_chunks, MaxGradientGroups);
        ReusableBuffer.EnsureLength(ref _partials, _groups * Planes * FilterPlane);
        ReusableBuffer.EnsureLength(ref _du, Planes * FilterPlane);
        ReusableBuffer.EnsureLength(ref _planeSums, _images * Filters);
        _slots = Math.Max(1, Math.Min(_groups, 4 * NumericsSettings.MaxDegreeOfParallelism));
        ReusableBuffer.EnsureLength(ref _scratch, _slots * SlotLength);
        ParallelWork.For(_slots, _backwardSlot, worthParallelising: _groups > 1);
        ParallelWork.For(Planes, _sumGroups);
        ParallelWork.For(Channels, _filterGradientChannel);
        ParallelWork.For(Filters, _biasGradient);
    }

    private void RunSlots(Action<int> body)
    {
        _chunks = (_images + ChunkImages - 1) / ChunkImages;
        _slots = Math.Max(1, Math.Min(_chunks, 4 * NumericsSettings.MaxDegreeOfParallelism));
        ReusableBuffer.EnsureLength(ref _scratch, _slots * SlotLength);
        ParallelWork.For(_slots, body, worthParallelising: _chunks > 1);
    }

    private void ForwardSlot(int slot)
    {
        for (int chunk = slot * _chunks / _slots; chunk < (slot + 1) * _chunks / _slots; chunk++)
            ForwardChunk(slot, chunk);
    }

    private void BackwardSlot(int slot)
    {
        for (int group = slot * _groups / _slots; group < (slot + 1) * _groups / _slots; group++)
        {
            int first = group * _chunks / _groups, end = (group + 1) * _chunks / _groups;
            for (int chunk = first; chunk < end; chunk++)
            {
                GradientChunk(slot, chunk);
                FilterGradientChunk(slot, chunk, group, accumulate: chunk > first);
                if (_inputGradientWanted)
                    InputGradientChunk(slot, chunk);
            }
        }
    }

    // Fully optimised from the first call: training calls it thousands of times, starting with its first step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardChunk(int slot, int chunk)
    {
        int m = _transform.OutputTile, alpha = _transform.Alpha, lanes = WinogradTiles.Lanes;
        int first = chunk * ChunkImages, count = Math.Min(ChunkImages, _images - first), tiles = count * TilesPerImage;
        int wq = TiledWidth, inputSize = Channels * Height * Width, outputSize = Filters * OutputHeight * OutputWidth;
        int slotStart = slot * SlotLength;
        int copyStart = slotStart, productStart = slotStart + InputCopyLength + GradientCopyLength, ownStart = productStart + ProductLength;
        // V of this chunk: in its block of the kept buffer or in the slot's own scratch.
        int vPlane = _keep ? KeptChunkPlane : PlaneStride(tiles, ChannelStride);
        int vStart = _keep ? chunk * KeptChunkLength : ownStart;
        float[] vArray = _keep ? _v : _scratch;
        int mPlane = PlaneStride(tiles, FilterStride);
        fixed (float* scratch = _scratch, x = _x, v = vArray)
        {
            float* copy = scratch + copyStart;
            for (int image = 0; image < count; image++)
            {
                float* source = x + (nint)(first + image) * inputSize;
                // Channel-last copy inside a zero border (written once: only the interior changes).
                ToChannelLast(source, Channels, Height, Width, copy + (Padding * wq + Padding) * ChannelStride, wq * ChannelStride, ChannelStride);
                TransformTiles(_inputMatrix, copy, wq * ChannelStride, ChannelStride, v + vStart + image * TilesPerImage * ChannelStride, vPlane);
            }
        }
        for (int xi = 0; xi < Planes; xi++)
        {
            if (FilterStride % Vector512GemmMicroKernel.Columns == 0)
            {
                fixed (float* v = vArray, u = _u, product = _scratch)
                    MultiplyTiles(tiles, Channels, v + vStart + xi * vPlane, ChannelStride, u + xi * FilterPlane, FilterStride, product + productStart + xi * mPlane, FilterStride);
                continue;
            }
            Gemm.Multiply(MatrixTranspose.None, MatrixTranspose.None, tiles, Filters, Channels, 1f,
                vArray.AsSpan(vStart + xi * vPlane, (tiles - 1) * ChannelStride + Channels), ChannelStride,
                _u.AsSpan(xi * FilterPlane, Channels * FilterStride), FilterStride, 0f,
                _scratch.AsSpan(productStart + xi * mPlane, mPlane), FilterStride);
        }
        fixed (float* scratch = _scratch, y = _y, bias = _bias)
        {
            float* product = scratch + productStart;
            float* tile = stackalloc float[m * m * lanes];
            Vector512<float>* byFilter = stackalloc Vector512<float>[lanes];
            // A whole 4×4 tile of sixteen filters is one 16×16 block (positions × filters): transposed in registers,
            // each filter's sixteen outputs are one vector, stored as four rows of four.
            bool transposeTiles = m == 4 && RegisterTranspose.IsSupported;
            for (int t = 0; t < tiles; t++)
            {
                int image = t / TilesPerImage, ty = t % TilesPerImage / TilesX, tx = t % TilesX;
                float* target = y + (nint)(first + image) * outputSize;
                int rows = Math.Min(m, OutputHeight - ty * m), cols = Math.Min(m, OutputWidth - tx * m);
                for (int f0 = 0; f0 < Filters; f0 += lanes)
                {
                    WinogradTiles.Apply(_outputMatrix, product + t * FilterStride + f0, alpha * mPlane, mPlane, tile, m * lanes, lanes);
                    if (transposeTiles && rows == m && cols == m && f0 + lanes <= Filters)
                    {
                        RegisterTranspose.Transpose16(tile, lanes, byFilter);
                        for (int lane = 0; lane < lanes; lane++)
                        {
                            int f = f0 + lane;
                            Vector512<float> values = byFilter[lane] + Vector512.Create(_bias.Length > 0 ? bias[f] : 0f);
                            float* line = target + (f * OutputHeight + ty * m) * OutputWidth + tx * m;
                            values.GetLower().GetLower().Store(line);
                            values.GetLower().GetUpper().Store(line + OutputWidth);
                            values.GetUpper().GetLower().Store(line + 2 * OutputWidth);
                            values.GetUpper().GetUpper().Store(line + 3 * OutputWidth);
                        }
                        continue;
                    }
                    for (int lane = 0; lane < lanes && f0 + lane < Filters; lane++)
                    {
                        int f = f0 + lane;
                        float b = _bias.Length > 0 ? bias[f] : 0f;
                        for (int a = 0; a < rows; a++)
                        {
                            float* line = target + (f * OutputHeight + ty * m + a) * OutputWidth + tx * m;
                            for (int c = 0; c < cols; c++)
                                line[c] = tile[(a * m + c) * lanes + lane] + b;
                        }
                    }
                }
            }
        }
    }

    /// <summary>dM = A dY Aᵀ for the tiles of one chunk, into the slot's product planes.</summary>
    // Fully optimised from the first call: training calls it thousands of times, starting with its first step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GradientChunk(int slot, int chunk)
    {
        int m = _transform.OutputTile;
        int first = chunk * ChunkImages, count = Math.Min(ChunkImages, _images - first);
        int width = TilesX * m, outputSize = Filters * OutputHeight * OutputWidth, plane = ChunkProductPlane;
        int positions = OutputHeight * OutputWidth;
        fixed (float* scratch = _scratch, dy = _y)
        {
            float* copy = scratch + slot * SlotLength + InputCopyLength, dm = copy + GradientCopyLength;
            for (int image = 0; image < count; image++)
            {
                float* source = dy + (nint)(first + image) * outputSize;
                // Each filter's plane summed for the bias gradient while it is read for the copy.
                for (int f = 0; f < Filters; f++)
                    _planeSums[(first + image) * Filters + f] = NeuralNetworks.OrderedSum.Sum<float>(new ReadOnlySpan<float>(source + f * positions, positions));
                // Positions past the image are never written, so the tiles overhanging it see a zero gradient.
                ToChannelLast(source, Filters, OutputHeight, OutputWidth, copy, width * FilterStride, FilterStride);
                TransformTiles(_gradientMatrix, copy, width * FilterStride, FilterStride, dm + image * TilesPerImage * FilterStride, plane);
            }
        }
    }

    // Fully optimised from the first call: training calls it thousands of times, starting with its first step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InputGradientChunk(int slot, int chunk)
    {
        int m = _transform.OutputTile, alpha = _transform.Alpha, lanes = WinogradTiles.Lanes;
        int first = chunk * ChunkImages, count = Math.Min(ChunkImages, _images - first), tiles = count * TilesPerImage;
        int wq = TiledWidth, inputSize = Channels * Height * Width, dmPlane = ChunkProductPlane;
        int dmStart = slot * SlotLength + InputCopyLength + GradientCopyLength;
        int dvStart = dmStart + ProductLength, dvPlane = PlaneStride(tiles, GradientWidth);
        int imageStart = dvStart + TransformedChunkLength;
        fixed (float* ut = _ut, dvs = _scratch)
        {
            for (int xi = 0; xi < Planes; xi++)
            {
                MultiplyTiles(tiles, Filters, dvs + dmStart + xi * dmPlane, FilterStride,
                    ut + xi * TransposedFilterPlane, GradientWidth, dvs + dvStart + xi * dvPlane, GradientWidth);
            }
        }
        Span<float> paddedImage = _scratch.AsSpan(imageStart, InputCopyLength);
        fixed (float* scratch = _scratch, dx = _dx)
        {
            float* dv = scratch + dvStart, image = scratch + imageStart;
            float* tile = stackalloc float[alpha * alpha * lanes];
            for (int n = 0; n < count; n++)
            {
                paddedImage.Clear();
                for (int ty = 0; ty < TilesY; ty++)
                {
                    for (int tx = 0; tx < TilesX; tx++)
                    {
                        int t = n * TilesPerImage + ty * TilesX + tx;
                        float* origin = image + (ty * m * wq + tx * m) * ChannelStride;
                        for (int c0 = 0; c0 < ChannelStride; c0 += lanes)
                        {
                            WinogradTiles.Apply(_inputGradientMatrix, dv + t * GradientWidth + c0, alpha * dvPlane, dvPlane, tile, alpha * lanes, lanes);
                            for (int a = 0; a < alpha; a++)
                            {
                                float* line = origin + a * wq * ChannelStride + c0;
                                for (int e = 0; e < alpha; e++)
                                {
                                    float* target = line + e * ChannelStride;
                                    (Vector512.Load(target) + Vector512.Load(tile + (a * alpha + e) * lanes)).Store(target);
                                }
                            }
                        }
                    }
                }
                float* row = dx + (nint)(first + n) * inputSize;
                for (int c = 0; c < Channels; c++)
                {
                    for (int y = 0; y < Height; y++)
                    {
                        float* source = image + ((y + Padding) * wq + Padding) * ChannelStride + c;
                        float* target = row + (c * Height + y) * Width;
                        for (int x = 0; x < Width; x++)
                            target[x] = source[x * ChannelStride];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="planes"/> planes of <paramref name="rows"/>×<paramref name="columns"/> (NCHW) to channel-last
    /// order: element (row, column) of plane p goes to <c>target + row·rowPitch + column·stride + p</c>.
    /// </summary>
    /// <remarks>
    /// Rows of at most 16 columns go sixteen planes at a time through a 16×16 register transpose: each column's sixteen
    /// planes become one vector stored whole. Each row is read as 16 floats, which past a shorter row are the start of
    /// the next one; the last row of the last block of planes, which could read past the image, is copied value by value.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ToChannelLast(float* source, int planes, int rows, int columns, float* target, nint rowPitch, nint stride)
    {
        int first = 0;
        nint planeLength = (nint)rows * columns;
        if (RegisterTranspose.IsSupported && columns <= 16)
        {
            Vector512<float>* byColumn = stackalloc Vector512<float>[16];
            for (; first + 16 <= planes; first += 16)
            {
                for (int row = 0; row < rows; row++)
                {
                    if (first + 16 == planes && row == rows - 1)
                    {
                        CopyRow(source, first, first + 16, planeLength, row, columns, target, rowPitch, stride);
                        continue;
                    }
                    RegisterTranspose.Transpose16(source + first * planeLength + row * columns, planeLength, byColumn);
                    float* destination = target + row * rowPitch + first;
                    for (int column = 0; column < columns; column++)
                        byColumn[column].Store(destination + column * stride);
                }
            }
        }
        for (int row = 0; row < rows; row++)
            CopyRow(source, first, planes, planeLength, row, columns, target, rowPitch, stride);
    }

    /// <summary>One row of planes [<paramref name="first"/>, <paramref name="end"/>) of <see cref="ToChannelLast"/>, value by value.</summary>
    private static void CopyRow(float* source, int first, int end, nint planeLength, int row, int columns, float* target, nint rowPitch, nint stride)
    {
        for (int p = first; p < end; p++)
        {
            float* line = source + p * planeLength + row * columns;
            float* destination = target + row * rowPitch + p;
            for (int column = 0; column < columns; column++)
                destination[column * stride] = line[column];
        }
    }

    /// <summary>
    /// Transforms every tile of one channel-last image (<paramref name="rowPitch"/> floats a row,
    /// <paramref name="stride"/> a position) with <paramref name="matrix"/>, sixteen channels at a time: tile t's
    /// values go to <c>target + t·stride</c> in the α² planes <paramref name="plane"/> floats apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformTiles(WinogradMatrix matrix, float* image, nint rowPitch, nint stride, float* target, int plane)
    {
        int m = _transform.OutputTile, alpha = _transform.Alpha, lanes = WinogradTiles.Lanes;
        for (int ty = 0; ty < TilesY; ty++)
        {
            for (int tx = 0; tx < TilesX; tx++)
            {
                int tile = ty * TilesX + tx;
                float* origin = image + ty * m * rowPitch + tx * m * stride;
                for (int c0 = 0; c0 < stride; c0 += lanes)
                    WinogradTiles.Apply(matrix, origin + c0, rowPitch, stride, target + tile * stride + c0, alpha * plane, plane);
            }
        }
    }

    /// <summary>
    /// <c>C = A·B</c> for <paramref name="rows"/> tile rows of A (row-major, <paramref name="depth"/> used columns) and a
    /// B whose <paramref name="width"/> columns are a multiple of the AVX-512 micro-kernel's 64 (its 6×64 tile) or of 32
    /// (its 12×32 tile), on the calling thread. A and B are both read in place: each sliver of A meets one or two tiles
    /// of B, so packing it would cost about as much as the product (a few hundred rows, depth 32 to 64), and the shared
    /// GEMM would also pack B again on every call.
    /// </summary>
    [SkipLocalsInit]
    private static void MultiplyTiles(int rows, int depth, float* a, nint lda, float* b, int width, float* c, nint ldc)
    {
        // Widths that are not a multiple of 64 (32 channels of the input gradient) take the 12×32 tile.
        bool narrow = width % Vector512GemmMicroKernel.Columns != 0;
        int mr = narrow ? Vector512GemmMicroKernel.NarrowRows : Vector512GemmMicroKernel.Rows;
        int nr = narrow ? Vector512GemmMicroKernel.NarrowColumns : Vector512GemmMicroKernel.Columns;
        // The last, partial sliver is copied beside, padded with zero rows, so the kernel never reads past A.
        float* partial = stackalloc float[mr * depth];
        float* tile = stackalloc float[mr * nr];
        for (int row = 0; row < rows; row += mr)
        {
            int count = Math.Min(mr, rows - row);
            bool whole = count == mr;
            float* sliver = a + row * lda;
            nint stride = lda;
            if (!whole)
            {
                new Span<float>(partial, mr * depth).Clear();
                for (int r = 0; r < count; r++)
                    new ReadOnlySpan<float>(sliver + r * lda, depth).CopyTo(new Span<float>(partial + r * depth, depth));
                sliver = partial;
                stride = depth;
            }
            for (int column = 0; column < width; column += nr)
            {
                // The valid rows of a partial sliver go through a tile aside.
                float* target = whole ? c + row * ldc + column : tile;
                nint targetStride = whole ? ldc : nr;
                if (narrow)
                    Vector512GemmMicroKernel.MultiplyNarrowStrided(depth, sliver, stride, 1, b + column, width, target, targetStride);
                else
                    Vector512GemmMicroKernel.MultiplyStrided(depth, sliver, stride, 1, b + column, width, target, targetStride, 0f);
                if (whole)
                    continue;
                for (int r = 0; r < count; r++)
                    new ReadOnlySpan<float>(tile + r * nr, nr).CopyTo(new Span<float>(c + (row + r) * ldc + column, nr));
            }
        }
    }

    /// <summary>
    /// The chunk's share of the filter gradient, dU[ξ] = V[ξ]ᵀ·dM[ξ] over its tiles, written to its group's partial sum
    /// or added to it (<paramref name="accumulate"/>).
    /// </summary>
    [SkipLocalsInit]
    private void FilterGradientChunk(int slot, int chunk, int group, bool accumulate)
    {
        int first = chunk * ChunkImages, tiles = Math.Min(ChunkImages, _images - first) * TilesPerImage;
        int vPlane = KeptChunkPlane, vStart = chunk * KeptChunkLength, dmPlane = ChunkProductPlane;
        int dmStart = slot * SlotLength + InputCopyLength + GradientCopyLength, partialStart = group * Planes * FilterPlane;
        float beta = accumulate ? 1f : 0f;
        if (FilterStride % Vector512GemmMicroKernel.Columns != 0)
        {
            for (int xi = 0; xi < Planes; xi++)
            {
                Gemm.Multiply(MatrixTranspose.Transpose, MatrixTranspose.None, Channels, Filters, tiles, 1f,
                    _v.AsSpan(vStart + xi * vPlane, (tiles - 1) * ChannelStride + Channels), ChannelStride,
                    _scratch.AsSpan(dmStart + xi * dmPlane, (tiles - 1) * FilterStride + Filters), FilterStride, beta,
                    _partials.AsSpan(partialStart + xi * FilterPlane, Channels * FilterStride), FilterStride);
            }
            return;
        }
        // On the micro-kernel, with V read transposed in place: six channels of one tile are adjacent, and the next tile
        // is a row of V further on. The sliver past the last channel reads the padded stride or the next tile's first
        // channels, whose rows go to a tile aside and are dropped.
        int mr = Vector512GemmMicroKernel.Rows, nr = Vector512GemmMicroKernel.Columns;
        float* tile = stackalloc float[mr * nr];
        fixed (float* v = _v, scratch = _scratch, partials = _partials)
        {
            for (int xi = 0; xi < Planes; xi++)
            {
                float* a = v + vStart + xi * vPlane, b = scratch + dmStart + xi * dmPlane;
                float* c = partials + partialStart + xi * FilterPlane;
                for (int row = 0; row < Channels; row += mr)
                {
                    int count = Math.Min(mr, Channels - row);
                    for (int column = 0; column < FilterStride; column += nr)
                    {
                        if (count == mr)
                        {
                            Vector512GemmMicroKernel.MultiplyStrided(tiles, a + row, 1, ChannelStride, b + column, FilterStride, c + row * FilterStride + column, FilterStride, beta);
                            continue;
                        }
                        Vector512GemmMicroKernel.MultiplyStrided(tiles, a + row, 1, ChannelStride, b + column, FilterStride, tile, nr, 0f);
                        for (int r = 0; r < count; r++)
                        {
                            float* target = c + (row + r) * FilterStride + column;
                            for (int q = 0; q < nr; q++)
                                target[q] = ScalarGemmMicroKernel.Combine(1f, tile[r * nr + q], beta, target[q]);
                        }
                    }
                }
            }
        }
    }

    /// <summary>dU[ξ] = the groups' partial sums added in order, for one tile position ξ.</summary>
    // Fully optimised from the first call: training calls it thousands of times, starting with its first step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SumGroups(int xi)
    {
        int plane = FilterPlane, length = Channels * FilterStride, groupLength = Planes * plane;
        var target = _du.AsSpan(xi * plane, length);
        _partials.AsSpan(xi * plane, length).CopyTo(target);
        for (int group = 1; group < _groups; group++)
        {
            // Written out: a library call here would run unoptimised for a process's first calls.
            ReadOnlySpan<float> partial = _partials.AsSpan(group * groupLength + xi * plane, length);
            int i = 0;
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
                (Vector512.Create(target[i..]) + Vector512.Create(partial[i..])).CopyTo(target[i..]);
            for (; i < length; i++)
                target[i] += partial[i];
        }
    }

    /// <summary>dW[f, c] += Gᵀ dU[·][c][f] G for one channel, sixteen filters at a time.</summary>
    private void FilterGradientChannel(int channel)
    {
        int r = _transform.Kernel, alpha = _transform.Alpha, area = r * r, lanes = WinogradTiles.Lanes, plane = FilterPlane;
        float* tile = stackalloc float[area * lanes];
        fixed (float* du = _du, dw = _dw)
        {
            for (int f0 = 0; f0 < Filters; f0 += lanes)
            {
                WinogradTiles.Apply(_filterGradientMatrix, du + channel * FilterStride + f0, alpha * plane, plane, tile, r * lanes, lanes);
                for (int lane = 0; lane < lanes && f0 + lane < Filters; lane++)
                {
                    float* target = dw + ((f0 + lane) * Channels + channel) * area;
                    for (int p = 0; p < area; p++)
                        target[p] += tile[p * lanes + lane];
                }
            }
        }
    }

    /// <summary>db[f] += the sums of filter f's upstream-gradient planes (taken by <see cref="GradientChunk"/>), image by image.</summary>
    private void BiasGradient(int filter)
    {
        float sum = 0;
        for (int image = 0; image < _images; image++)
            sum += _planeSums[image * Filters + filter];
        _db[filter] += sum;
    }


}
