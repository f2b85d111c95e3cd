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
/// transformed back by one thread (its products are small enough to run on the calling thread), overlapping tiles of the
/// input gradient are added in a fixed order, and the filter gradient is split by ξ, each summed over the tiles in
/// order in blocks of <see cref="GradientDepthBlock"/>. Every value is thus computed by the same operations for any thread
/// count. Buffers grow to the largest batch and are reused.
/// </para>
/// </remarks>
internal sealed unsafe class WinogradCorrelation
{
    /// <summary>Tiles per chunk, the rows of each product: enough to amortise each sliver of B, few enough for the caches.</summary>
    private const int ChunkTiles = 128;

    /// <summary>Tiles per product of the filter gradient (the depth of each, summed in order).</summary>
    private const int GradientDepthBlock = 512;

    private readonly WinogradTransform _transform;
    private readonly float[] _inputMatrix, _filterMatrix, _outputMatrix, _gradientMatrix, _filterGradientMatrix, _inputGradientMatrix;
    private readonly Action<int> _forwardSlot, _gradientSlot, _inputGradientSlot, _filterGradientPlane, _filterGradientChannel, _biasGradient, _transformFilters;
    private float[] _u = [], _ut = [], _v = [], _dm = [], _du = [], _scratch = [];
    private int _images, _chunks, _slots, _vImages;
    private float[] _x = [], _y = [], _bias = [], _weights = [], _dw = [], _db = [], _dx = [];
    private bool _keep, _gradientCurrent;

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
        _inputMatrix = WinogradTiles.Padded(transform.InputTransform, alpha, alpha);
        _filterMatrix = WinogradTiles.Padded(transform.FilterTransform, alpha, r);
        _outputMatrix = WinogradTiles.Padded(transform.OutputTransform, m, alpha);
        _gradientMatrix = WinogradTiles.Padded(transform.OutputTransform, m, alpha, transpose: true);
        _filterGradientMatrix = WinogradTiles.Padded(transform.FilterTransform, alpha, r, transpose: true);
        _inputGradientMatrix = WinogradTiles.Padded(transform.InputTransform, alpha, alpha, transpose: true);
        _forwardSlot = ForwardSlot;
        _gradientSlot = GradientSlot;
        _inputGradientSlot = InputGradientSlot;
        _filterGradientPlane = FilterGradientPlane;
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

    private int ProductLength => Planes * PlaneStride(ChunkImages * TilesPerImage, FilterStride);

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
        fixed (float* w = _weights, u = _u, ut = _ut, gm = _filterMatrix)
        {
            for (int f0 = 0; f0 < Filters; f0 += lanes)
            {
                for (int lane = 0; lane < lanes; lane++)
                {
                    int f = f0 + lane;
                    for (int p = 0; p < area; p++)
                        g[p * lanes + lane] = f < Filters ? w[(f * Channels + channel) * area + p] : 0f;
                }
                WinogradTiles.Apply(gm, alpha, r, g, r * lanes, lanes, u + channel * FilterStride + f0, alpha * plane, plane);
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
    /// <paramref name="keepTransformedInput"/>, the transformed input tiles stay for <see cref="FilterGradient"/>.
    /// </summary>
    public void Forward(int images, float[] x, float[] y, float[] bias, bool keepTransformedInput)
    {
        _images = images;
        _x = x;
        _y = y;
        _bias = bias;
        _keep = keepTransformedInput;
        _gradientCurrent = false;
        if (keepTransformedInput)
        {
            ReusableBuffer.EnsureLength(ref _v, Planes * PlaneStride(images * TilesPerImage, ChannelStride));
            _vImages = images;
        }
        RunSlots(_forwardSlot);
    }

    /// <summary>
    /// Adds the filter and bias gradients of the last kept forward pass for the upstream gradient
    /// <paramref name="dy"/> (F·H'·W' per row) to <paramref name="dw"/> (F×(C·r·r)) and <paramref name="db"/>.
    /// </summary>
    public void FilterGradient(float[] dy, float[] dw, float[] db)
    {
        if (_vImages != _images || !_keep)
            throw new InvalidOperationException("The filter gradient needs the transformed input of the last forward pass.");
        _y = dy;
        _dw = dw;
        _db = db;
        ReusableBuffer.EnsureLength(ref _dm, Planes * PlaneStride(_images * TilesPerImage, FilterStride));
        ReusableBuffer.EnsureLength(ref _du, Planes * FilterPlane);
        _gradientCurrent = true;
        RunSlots(_gradientSlot);
        ParallelWork.For(Planes, _filterGradientPlane);
        ParallelWork.For(Channels, _filterGradientChannel);
        ParallelWork.For(Filters, _biasGradient);
    }

    /// <summary>
    /// The input gradient of the last kept forward pass, from the dM that <see cref="FilterGradient"/> left: per tile
    /// position dV[ξ] = dM[ξ]·U[ξ]ᵀ, then each tile's B dV Bᵀ added onto the channel-last padded image it was read
    /// from (tiles in order, so overlaps sum in a fixed order), whose interior is <paramref name="dx"/> (C·H·W per row).
    /// </summary>
    public void InputGradient(float[] dx)
    {
        if (!_gradientCurrent)
            throw new InvalidOperationException("The input gradient needs the filter gradient's transformed upstream gradient.");
        _dx = dx;
        RunSlots(_inputGradientSlot);
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

    private void InputGradientSlot(int slot)
    {
        for (int chunk = slot * _chunks / _slots; chunk < (slot + 1) * _chunks / _slots; chunk++)
            InputGradientChunk(slot, chunk);
    }

    private void GradientSlot(int slot)
    {
        for (int chunk = slot * _chunks / _slots; chunk < (slot + 1) * _chunks / _slots; chunk++)
            GradientChunk(slot, chunk);
    }

    private void ForwardChunk(int slot, int chunk)
    {
        int m = _transform.OutputTile, alpha = _transform.Alpha, lanes = WinogradTiles.Lanes;
        int first = chunk * ChunkImages, count = Math.Min(ChunkImages, _images - first), tiles = count * TilesPerImage;
        int wq = TiledWidth, inputSize = Channels * Height * Width, outputSize = Filters * OutputHeight * OutputWidth;
        int slotStart = slot * SlotLength;
        int copyStart = slotStart, productStart = slotStart + InputCopyLength + GradientCopyLength, ownStart = productStart + ProductLength;
        // V of this chunk: in the kept buffer (planes of all the batch's tiles) or in the slot's own scratch.
        int vPlane = _keep ? PlaneStride(_images * TilesPerImage, ChannelStride) : PlaneStride(tiles, ChannelStride);
        int vStart = _keep ? first * TilesPerImage * ChannelStride : ownStart;
        float[] vArray = _keep ? _v : _scratch;
        int mPlane = PlaneStride(tiles, FilterStride);
        fixed (float* scratch = _scratch, x = _x, v = vArray, bt = _inputMatrix)
        {
            float* copy = scratch + copyStart;
            for (int image = 0; image < count; image++)
            {
                float* source = x + (nint)(first + image) * inputSize;
                // Channel-last copy inside a zero border (written once: only the interior changes).
                for (int c = 0; c < Channels; c++)
                {
                    for (int row = 0; row < Height; row++)
                    {
                        float* line = source + (c * Height + row) * Width;
                        float* target = copy + ((row + Padding) * wq + Padding) * ChannelStride + c;
                        for (int col = 0; col < Width; col++)
                            target[col * ChannelStride] = line[col];
                    }
                }
                for (int ty = 0; ty < TilesY; ty++)
                {
                    for (int tx = 0; tx < TilesX; tx++)
                    {
                        int tile = image * TilesPerImage + ty * TilesX + tx;
                        float* origin = copy + (ty * m * wq + tx * m) * ChannelStride;
                        for (int c0 = 0; c0 < ChannelStride; c0 += lanes)
                            WinogradTiles.Apply(bt, alpha, alpha, origin + c0, wq * ChannelStride, ChannelStride, v + vStart + tile * ChannelStride + c0, alpha * vPlane, vPlane);
                    }
                }
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
        fixed (float* scratch = _scratch, y = _y, at = _outputMatrix, bias = _bias)
        {
            float* product = scratch + productStart;
            float* tile = stackalloc float[m * m * lanes];
            for (int t = 0; t < tiles; t++)
            {
                int image = t / TilesPerImage, ty = t % TilesPerImage / TilesX, tx = t % TilesX;
                float* target = y + (nint)(first + image) * outputSize;
                int rows = Math.Min(m, OutputHeight - ty * m), cols = Math.Min(m, OutputWidth - tx * m);
                for (int f0 = 0; f0 < Filters; f0 += lanes)
                {
                    WinogradTiles.Apply(at, m, alpha, product + t * FilterStride + f0, alpha * mPlane, mPlane, tile, m * lanes, lanes);
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

    /// <summary>dM = A dY Aᵀ for the tiles of one chunk, into the planes of the whole batch.</summary>
    private void GradientChunk(int slot, int chunk)
    {
        int m = _transform.OutputTile, alpha = _transform.Alpha, lanes = WinogradTiles.Lanes;
        int first = chunk * ChunkImages, count = Math.Min(ChunkImages, _images - first);
        int width = TilesX * m, outputSize = Filters * OutputHeight * OutputWidth, plane = PlaneStride(_images * TilesPerImage, FilterStride);
        fixed (float* scratch = _scratch, dy = _y, dm = _dm, a = _gradientMatrix)
        {
            float* copy = scratch + slot * SlotLength + InputCopyLength;
            for (int image = 0; image < count; image++)
            {
                float* source = dy + (nint)(first + image) * outputSize;
                // Positions past the image are never written, so the tiles overhanging it see a zero gradient.
                for (int f = 0; f < Filters; f++)
                {
                    for (int row = 0; row < OutputHeight; row++)
                    {
                        float* line = source + (f * OutputHeight + row) * OutputWidth;
                        float* target = copy + row * width * FilterStride + f;
                        for (int col = 0; col < OutputWidth; col++)
                            target[col * FilterStride] = line[col];
                    }
                }
                for (int ty = 0; ty < TilesY; ty++)
                {
                    for (int tx = 0; tx < TilesX; tx++)
                    {
                        int tile = (first + image) * TilesPerImage + ty * TilesX + tx;
                        float* origin = copy + (ty * m * width + tx * m) * FilterStride;
                        for (int f0 = 0; f0 < FilterStride; f0 += lanes)
                            WinogradTiles.Apply(a, alpha, m, origin + f0, width * FilterStride, FilterStride, dm + tile * FilterStride + f0, alpha * plane, plane);
                    }
                }
            }
        }
    }

    private void InputGradientChunk(int slot, int chunk)
    {
        int m = _transform.OutputTile, alpha = _transform.Alpha, lanes = WinogradTiles.Lanes;
        int first = chunk * ChunkImages, count = Math.Min(ChunkImages, _images - first), tiles = count * TilesPerImage;
        int wq = TiledWidth, inputSize = Channels * Height * Width, dmPlane = PlaneStride(_images * TilesPerImage, FilterStride);
        int dvStart = slot * SlotLength + InputCopyLength + GradientCopyLength + ProductLength, dvPlane = PlaneStride(tiles, GradientWidth);
        int imageStart = dvStart + TransformedChunkLength;
        fixed (float* dm = _dm, ut = _ut, dvs = _scratch)
        {
            for (int xi = 0; xi < Planes; xi++)
            {
                MultiplyTiles(tiles, Filters, dm + xi * dmPlane + first * TilesPerImage * FilterStride, FilterStride,
                    ut + xi * TransposedFilterPlane, GradientWidth, dvs + dvStart + xi * dvPlane, GradientWidth);
            }
        }
        Span<float> paddedImage = _scratch.AsSpan(imageStart, InputCopyLength);
        fixed (float* scratch = _scratch, dx = _dx, b = _inputGradientMatrix)
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
                            WinogradTiles.Apply(b, alpha, alpha, dv + t * GradientWidth + c0, alpha * dvPlane, dvPlane, tile, alpha * lanes, lanes);
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
    /// <c>C = A·B</c> for <paramref name="rows"/> tile rows of A (row-major, <paramref name="depth"/> used columns) and a
    /// B whose <paramref name="width"/> columns are a multiple of the AVX-512 micro-kernel's 64 (its 6×64 tile) or of 32
    /// (its 12×32 tile): each sliver of rows is packed once and B is read in place, on the calling thread. The shared GEMM would pack B again on every
    /// call and costs several times more at these sizes (a few hundred rows, depth 32 to 64).
    /// </summary>
    [SkipLocalsInit]
    private static void MultiplyTiles(int rows, int depth, float* a, nint lda, float* b, int width, float* c, nint ldc)
    {
        // Widths that are not a multiple of 64 (32 channels of the input gradient) take the 12×32 tile.
        bool narrow = width % Vector512GemmMicroKernel.Columns != 0;
        int mr = narrow ? Vector512GemmMicroKernel.NarrowRows : Vector512GemmMicroKernel.Rows;
        int nr = narrow ? Vector512GemmMicroKernel.NarrowColumns : Vector512GemmMicroKernel.Columns;
        // Slivers of six rows (two for the 12-row tile), so every full sliver takes the packer's fast six-row path.
        int six = Vector512GemmMicroKernel.Rows;
        float* sliver = stackalloc float[2 * six * depth];
        float* bottom = sliver + six * depth;
        float* tile = stackalloc float[mr * nr];
        for (int row = 0; row < rows; row += mr)
        {
            int count = Math.Min(mr, rows - row);
            GemmPacking.PackA(false, a, lda, row, Math.Min(six, count), 0, depth, six, sliver);
            if (narrow)
                GemmPacking.PackA(false, a, lda, row + six, Math.Max(0, count - six), 0, depth, six, bottom);
            for (int column = 0; column < width; column += nr)
            {
                // The last rows go to a tile aside (the padded rows of the sliver are zero), then the valid rows out.
                bool whole = count == mr;
                float* target = whole ? c + row * ldc + column : tile;
                nint stride = whole ? ldc : nr;
                if (narrow)
                    Vector512GemmMicroKernel.MultiplyNarrow(depth, sliver, bottom, b + column, width, target, stride);
                else
                    Vector512GemmMicroKernel.Multiply(depth, sliver, b + column, width, target, stride, 1f, 0f);
                if (whole)
                    continue;
                for (int r = 0; r < count; r++)
                    new ReadOnlySpan<float>(tile + r * nr, nr).CopyTo(new Span<float>(c + (row + r) * ldc + column, nr));
            }
        }
    }

    /// <summary>dU[ξ] = Σ_tiles V[ξ]ᵀ·dM[ξ], the tiles summed in order in fixed blocks.</summary>
    [SkipLocalsInit]
    private void FilterGradientPlane(int xi)
    {
        int tiles = _images * TilesPerImage, vPlane = PlaneStride(tiles, ChannelStride), mPlane = PlaneStride(tiles, FilterStride);
        if (FilterStride % Vector512GemmMicroKernel.Columns != 0)
        {
            for (int t0 = 0; t0 < tiles; t0 += GradientDepthBlock)
            {
                int depth = Math.Min(GradientDepthBlock, tiles - t0);
                Gemm.Multiply(MatrixTranspose.Transpose, MatrixTranspose.None, Channels, Filters, depth, 1f,
                    _v.AsSpan(xi * vPlane + t0 * ChannelStride, (depth - 1) * ChannelStride + Channels), ChannelStride,
                    _dm.AsSpan(xi * mPlane + t0 * FilterStride, (depth - 1) * FilterStride + Filters), FilterStride, t0 == 0 ? 0f : 1f,
                    _du.AsSpan(xi * FilterPlane, Channels * FilterStride), FilterStride);
            }
            return;
        }
        // The same product on the micro-kernel: slivers of six channels (V read transposed) against dM in place.
        int mr = Vector512GemmMicroKernel.Rows, nr = Vector512GemmMicroKernel.Columns;
        float* sliver = stackalloc float[mr * GradientDepthBlock];
        float* tile = stackalloc float[mr * nr];
        fixed (float* v = _v, dm = _dm, du = _du)
        {
            float* a = v + xi * vPlane, b = dm + xi * mPlane, c = du + xi * FilterPlane;
            for (int t0 = 0; t0 < tiles; t0 += GradientDepthBlock)
            {
                int depth = Math.Min(GradientDepthBlock, tiles - t0);
                float beta = t0 == 0 ? 0f : 1f;
                for (int row = 0; row < Channels; row += mr)
                {
                    int count = Math.Min(mr, Channels - row);
                    GemmPacking.PackA(true, a, ChannelStride, row, count, t0, depth, mr, sliver);
                    for (int column = 0; column < FilterStride; column += nr)
                    {
                        float* bBlock = b + (nint)t0 * FilterStride + column;
                        if (count == mr)
                        {
                            Vector512GemmMicroKernel.Multiply(depth, sliver, bBlock, FilterStride, c + row * FilterStride + column, FilterStride, 1f, beta);
                            continue;
                        }
                        Vector512GemmMicroKernel.Multiply(depth, sliver, bBlock, FilterStride, tile, nr, 1f, 0f);
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

    /// <summary>dW[f, c] += Gᵀ dU[·][c][f] G for one channel, sixteen filters at a time.</summary>
    private void FilterGradientChannel(int channel)
    {
        int r = _transform.Kernel, alpha = _transform.Alpha, area = r * r, lanes = WinogradTiles.Lanes, plane = FilterPlane;
        float* tile = stackalloc float[area * lanes];
        fixed (float* du = _du, dw = _dw, gt = _filterGradientMatrix)
        {
            for (int f0 = 0; f0 < Filters; f0 += lanes)
            {
                WinogradTiles.Apply(gt, r, alpha, du + channel * FilterStride + f0, alpha * plane, plane, tile, r * lanes, lanes);
                for (int lane = 0; lane < lanes && f0 + lane < Filters; lane++)
                {
                    float* target = dw + ((f0 + lane) * Channels + channel) * area;
                    for (int p = 0; p < area; p++)
                        target[p] += tile[p * lanes + lane];
                }
            }
        }
    }

    private void BiasGradient(int filter)
    {
        int positions = OutputHeight * OutputWidth, outputSize = Filters * positions;
        float sum = 0;
        for (int image = 0; image < _images; image++)
            sum += NeuralNetworks.OrderedSum.Sum<float>(_y.AsSpan(image * outputSize + filter * positions, positions));
        _db[filter] += sum;
    }


}
