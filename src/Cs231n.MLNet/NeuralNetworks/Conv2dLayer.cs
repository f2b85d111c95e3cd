using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// 2-D convolution (cross-correlation, as in CS231n and PyTorch) of <see cref="Filters"/> square kernels over an image
/// of shape <see cref="Input"/>, with <see cref="Stride"/> and zero <see cref="Padding"/>. Shapes: x is N×(C·H·W), one
/// image per row; W is F×(C·K·K), one filter per row; b has length F; out is N×(F·H'·W').
/// </summary>
/// <remarks>
/// <para>
/// Stride 1 (every convolution of the usual networks) runs as a direct convolution
/// (<see cref="DirectConvolution"/>): each image is copied once into a zero-padded buffer, and the forward pass reads
/// its patches straight from there, with no patch matrix. The input gradient is the same direct convolution of the
/// padded upstream gradient with the filters flipped and transposed; the weight gradient is dW += dY·Xᵀ through the
/// shared GEMM, its patch matrix copied row by row out of the padded images. Images run in parallel, each computed
/// by the same operations whatever the thread count.
/// </para>
/// <para>
/// Float training of 5×5 kernels with at least <see cref="WinogradMinimumChannels"/> channels and filters runs as a
/// Winograd convolution F(4×4, 5×5) on AVX-512 (<see cref="WinogradCorrelation"/>): the direct convolution already
/// runs near the processor's peak, so only fewer multiplications make it faster, and F(4×4, 5×5) needs 64 per 16
/// outputs instead of 400. Input tiles (8×8) and filters are transformed, one product per tile position multiplies
/// [tiles × C]·[C × F] on the GEMM's AVX-512 micro-kernel, and the output transform brings each 4×4 tile back. The
/// filter gradient is computed in the transformed domain (dU = Vᵀ·dM over all tiles, then dW = Gᵀ dU G) and the input
/// gradient from the same dM (dV = dM·Uᵀ, tiles added back onto the padded image). Its float error, measured against the naive loops in double,
/// stays below 6·10⁻⁶ of the largest value (forward, dX and dW on 32→64 channels; the direct sum: about 10⁻⁷); the
/// tests allow 10⁻⁴. F(4×4, 3×3) is implemented and tested too, but measured only slightly faster than the direct
/// path on the default network's 3×3 layers, which therefore stay direct for now (<see cref="WinogradUse"/>).
/// Scoring (frozen weights) and double precision keep the direct convolution.
/// </para>
/// <para>
/// Other strides are computed by im2col into the shared SIMD GEMM. The images of a chunk are unfolded side by side into one patch
/// matrix X (C·K·K × images·H'·W'), so each pass is a single large product: forward Y = W·X, backward
/// dW += dY·Xᵀ and dX = Wᵀ·dY folded back by col2im. Unfolding, folding and the re-ordering between Y and NCHW rows
/// run image by image on all cores. Chunks hold at most <see cref="PatchBudget"/> values, so memory stays bounded for
/// any batch; chunks are a function of the shapes alone, and the GEMM is thread-count independent, so results are
/// bit-identical for any number of threads.
/// </para>
/// <para>Buffers grow to the largest batch and are reused: nothing is allocated per batch after the first.</para>
/// </remarks>
/// <typeparam name="T">The number type.</typeparam>
public sealed class Conv2dLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Largest patch matrix, in values (16 MB of floats); a batch is unfolded in chunks of images that fit.</summary>
    internal const int PatchBudget = 1 << 22;

    private readonly ConvolutionGeometry _geometry;
    private readonly LayerParameter<T>[] _parameters;
    private readonly Action<int> _unfold, _fold, _scatterOutput, _gatherGradient, _directForward, _directInputGradient, _paddedToColumns;
    private readonly ConvolutionGeometry _gradientGeometry;
    private readonly int[] _offsets = [], _gradientOffsets = [];
    private T[] _packedWeights = [], _packedFlipped = [], _padded = [], _paddedGradient = [], _wide = [];
    private T[] _paddedGradientRows = [];
    private readonly Action<int> _spreadGradient, _filterGradientUnit;
    private int _slots;

    /// <summary>Images per step of the direct filter gradient: their padded images and gradients stay in the L2 cache.</summary>
    private const int FilterGradientBlock = 8;
    private T[] _columns = [], _columnGradient = [], _product = [], _productGradient = [];
    private T[] _output = [], _inputGradient = [];
    private Matrix<T> _input, _currentOutput, _currentOutputGradient, _currentInputGradient;
    private int _chunkStart, _chunkCount, _unfoldedStart = -1, _unfoldedCount;
    private long _forwardCount, _unfoldedForward = -1;
    // A scoring network's weights never change (see FreezeWeights), so its filters are packed once, not per forward pass.
    private bool _weightsFrozen, _packedWeightsCurrent;
    // The Winograd engine of float training (null where the layer's shape cannot use it), whether the last forward pass
    // ran there, and whether that pass kept its transformed tiles for the backward pass.
    private readonly WinogradCorrelation? _winograd;
    private bool _forwardWasWinograd, _winogradKept;

    /// <summary>Creates a convolution of <paramref name="filters"/> kernels of <paramref name="kernelSize"/>² over images of <paramref name="input"/> shape.</summary>
    /// <param name="input">C×H×W of each input row.</param>
    /// <param name="filters">F, the number of output channels.</param>
    /// <param name="kernelSize">K, the height and width of each kernel.</param>
    /// <param name="stride">Step between neighbouring kernel positions.</param>
    /// <param name="padding">Zero pixels added on every side.</param>
    public Conv2dLayer(ImageShape input, int filters, int kernelSize, int stride = 1, int padding = 0)
    {
        if (filters < 1)
            throw new ArgumentOutOfRangeException(nameof(filters), filters, $"A convolution needs at least one filter; got {filters}.");
        _geometry = new ConvolutionGeometry(input, kernelSize, stride, padding);
        _geometry.Validate("the convolution");
        Filters = filters;
        Weights = new LayerParameter<T>("W", filters, _geometry.PatchSize, isRegularized: true);
        Bias = new LayerParameter<T>("b", 1, filters, isRegularized: false);
        _parameters = [Weights, Bias];
        _unfold = Unfold;
        _fold = Fold;
        _scatterOutput = ScatterOutput;
        _gatherGradient = GatherGradient;
        _directForward = DirectForward;
        _directInputGradient = DirectInputGradient;
        _paddedToColumns = PaddedToColumns;
        _spreadGradient = SpreadGradient;
        _filterGradientUnit = FilterGradientUnit;
        if (IsDirect)
        {
            _offsets = _geometry.PaddedOffsets();
            // dX is the stride-1 convolution of dY, padded by K − 1 − pad, with the flipped filters.
            _gradientGeometry = new ConvolutionGeometry(Output, kernelSize, 1, kernelSize - 1 - padding);
            _gradientOffsets = _gradientGeometry.PaddedOffsets();
            if (typeof(T) == typeof(float) && WinogradTransform.For(kernelSize) is { } transform
                && input.Channels >= WinogradMinimumChannels && filters >= WinogradMinimumChannels)
            {
                _winograd = new WinogradCorrelation(transform, input.Channels, input.Height, input.Width, filters, padding);
            }
        }
    }

    /// <summary>
    /// Fewest input channels and filters for the Winograd path: its products have C as depth and F as width, and with
    /// a handful of channels (a first layer on grey or RGB images) the transforms would cost more than they save.
    /// </summary>
    internal const int WinogradMinimumChannels = 8;

    /// <summary>C×H×W of each input row.</summary>
    public ImageShape Input => _geometry.Input;

    /// <summary>F×H'×W' of each output row.</summary>
    public ImageShape Output => new(Filters, _geometry.OutputHeight, _geometry.OutputWidth);

    /// <summary>F, the number of filters (output channels).</summary>
    public int Filters { get; }

    /// <summary>K, the kernel's height and width.</summary>
    public int KernelSize => _geometry.KernelSize;

    /// <summary>Step between kernel positions.</summary>
    public int Stride => _geometry.Stride;

    /// <summary>Zero pixels added on every side.</summary>
    public int Padding => _geometry.Padding;

    /// <summary>W, F×(C·K·K): filter f's weights for channel c, kernel row i, column j at [f, (c·K + i)·K + j].</summary>
    public LayerParameter<T> Weights { get; }

    /// <summary>b, one per filter.</summary>
    public LayerParameter<T> Bias { get; }

    /// <inheritdoc/>
    public override int InputSize => Input.Size;

    /// <inheritdoc/>
    public override int OutputSize => Output.Size;

    /// <inheritdoc/>
    public override IReadOnlyList<LayerParameter<T>> Parameters => _parameters;

    /// <summary>
    /// Declares the weights final (a model's scoring network, which never trains): from the next forward pass on, the
    /// filters are packed once and reused. A layer whose weights may still change must not be frozen.
    /// </summary>
    internal void FreezeWeights()
    {
        _weightsFrozen = true;
        _packedWeightsCurrent = false;
    }

    /// <summary>Whether the layer runs as a direct convolution (stride 1) rather than im2col.</summary>
    internal bool IsDirect => _geometry.Stride == 1;

    /// <summary>
    /// Whether the next forward pass runs as a Winograd convolution: float, stride 1, a kernel that
    /// <see cref="Winograd"/> admits (5×5 by default), at least <see cref="WinogradMinimumChannels"/> channels and
    /// filters, AVX-512 (its transforms run sixteen channels per vector), and weights not frozen (scoring keeps the
    /// direct convolution's sums).
    /// </summary>
    internal bool UsesWinograd => _winograd is not null && !_weightsFrozen && NumericsSettings.InstructionSet == SimdInstructionSet.Vector512
        && (Winograd == WinogradUse.WhereSupported || (Winograd == WinogradUse.WhereFaster && KernelSize == 5));

    /// <summary>When a shape that suits the Winograd path takes it (tests change it to exercise one path or the other).</summary>
    internal WinogradUse Winograd { get; set; } = WinogradUse.WhereFaster;

    private int ChunkImages => Math.Max(1, PatchBudget / (_geometry.PatchSize * _geometry.OutputPositions));

    /// <inheritdoc/>
    protected override Matrix<T> ForwardCore(Matrix<T> input, bool training)
    {
        _input = input;
        _forwardCount++;
        _currentOutput = Matrix<T>.Reuse(ref _output, input.Rows, OutputSize);
        _forwardWasWinograd = UsesWinograd;
        if (_forwardWasWinograd)
        {
            _winograd!.SetFilters(AsFloats(Weights.Value));
            // Only a training pass keeps its transformed tiles (a scoring batch may be large); their memory grows with the batch.
            _winograd.Forward(input.Rows, AsFloats(input.Data), AsFloats(_output), AsFloats(Bias.Value), keepTransformedInput: training);
            _winogradKept = training;
            return _currentOutput;
        }
        if (IsDirect)
        {
            if (!_packedWeightsCurrent)
            {
                DirectConvolution.PackWeights<T>(Weights.Value, Filters, _geometry.PatchSize, Grow(ref _packedWeights, DirectConvolution.PackedLength(Filters, _geometry.PatchSize)));
                _packedWeightsCurrent = _weightsFrozen;
            }
            Grow(ref _padded, input.Rows * _geometry.PaddedLength);
            RunSlots(input.Rows, _directForward);
            return _currentOutput;
        }
        int chunk = Math.Min(ChunkImages, Math.Max(1, input.Rows));
        int positions = _geometry.OutputPositions;
        for (int start = 0; start < input.Rows; start += chunk)
        {
            int count = Math.Min(chunk, input.Rows - start);
            UnfoldChunk(start, count);
            int width = count * positions;
            ReusableBuffer.EnsureLength(ref _product, Filters * width);
            GenericGemm.Multiply(MatrixTranspose.None, MatrixTranspose.None, Filters, width, _geometry.PatchSize,
                T.One, Weights.Value, _geometry.PatchSize, _columns, width, T.Zero, _product, width);
            ParallelWork.For(count, _scatterOutput);
        }
        return _currentOutput;
    }

    /// <inheritdoc/>
    protected override Matrix<T> BackwardCore(Matrix<T> outputGradient)
    {
        int n = _input.Rows;
        _currentOutputGradient = outputGradient;
        if (ComputesInputGradient)
            _currentInputGradient = Matrix<T>.Reuse(ref _inputGradient, n, InputSize);
        if (_forwardWasWinograd)
        {
            // A backward pass after a non-training forward pass recomputes the same output, keeping its tiles this time.
            if (!_winogradKept)
                _winograd!.Forward(n, AsFloats(_input.Data), AsFloats(_output), AsFloats(Bias.Value), keepTransformedInput: _winogradKept = true);
            _winograd!.Backward(AsFloats(outputGradient.Data), AsFloats(Weights.Gradient), AsFloats(Bias.Gradient),
                ComputesInputGradient ? AsFloats(_inputGradient) : null);
            return ComputesInputGradient ? _currentInputGradient : default;
        }
        if (UsesDirectFilterGradient)
            DirectFilterGradient(n);
        int chunk = Math.Min(ChunkImages, Math.Max(1, n));
        int positions = _geometry.OutputPositions, patch = _geometry.PatchSize;
        Span<T> db = Bias.Gradient;
        for (int start = UsesDirectFilterGradient ? n : 0; start < n; start += chunk)
        {
            int count = Math.Min(chunk, n - start);
            if (IsDirect)
            {
                _chunkStart = start;
                _chunkCount = count;
                Grow(ref _columns, patch * count * positions);
                ParallelWork.For(count, _paddedToColumns);
            }
            else
            {
                UnfoldChunk(start, count);
            }
            int width = count * positions;
            ReusableBuffer.EnsureLength(ref _productGradient, Filters * width);
            ParallelWork.For(count, _gatherGradient);
            for (int f = 0; f < Filters; f++)
                db[f] += OrderedSum.Sum<T>(_productGradient.AsSpan(f * width, width));
            GenericGemm.Multiply(MatrixTranspose.None, MatrixTranspose.Transpose, Filters, patch, width,
                T.One, _productGradient, width, _columns, width, T.One, Weights.Gradient, patch);
            if (!ComputesInputGradient || IsDirect)
                continue;
            ReusableBuffer.EnsureLength(ref _columnGradient, patch * width);
            GenericGemm.Multiply(MatrixTranspose.Transpose, MatrixTranspose.None, patch, width, Filters,
                T.One, Weights.Value, patch, _productGradient, width, T.Zero, _columnGradient, width);
            ParallelWork.For(count, _fold);
        }
        if (ComputesInputGradient && IsDirect)
        {
            PackFlippedWeights();
            RunSlots(n, _directInputGradient);
        }
        return ComputesInputGradient ? _currentInputGradient : default;
    }

    /// <summary>Whether dW comes from <see cref="DirectConvolutionWeightGradient"/> (float, stride 1, AVX-512) rather than the patch matrix and the GEMM.</summary>
    private bool UsesDirectFilterGradient => IsDirect && typeof(T) == typeof(float) && DirectConvolutionWeightGradient.IsSupported;

    /// <summary>
    /// dW and db from the padded images: blocks of <see cref="FilterGradientBlock"/> images in order, each with its
    /// upstream gradient spread onto whole padded rows, then split by groups of filters over the cores.
    /// </summary>
    private void DirectFilterGradient(int n)
    {
        int width = DirectConvolution.RowLength(_geometry.PaddedRowPositions);
        // Positions in the padding are never written, so they stay at the zero of the new array.
        Grow(ref _paddedGradientRows, FilterGradientBlock * Filters * width);
        int units = (Filters + DirectConvolutionWeightGradient.FilterTile - 1) / DirectConvolutionWeightGradient.FilterTile;
        for (int start = 0; start < n; start += FilterGradientBlock)
        {
            _chunkStart = start;
            _chunkCount = Math.Min(FilterGradientBlock, n - start);
            ParallelWork.For(_chunkCount, _spreadGradient, worthParallelising: _chunkCount > 1);
            ParallelWork.For(units, _filterGradientUnit);
        }
    }

    /// <summary>Copies image <paramref name="image"/>'s upstream gradient onto whole padded rows (the layout of the direct convolution's output).</summary>
    // Fully optimised from the first call: training calls it thousands of times, starting with its first step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SpreadGradient(int image)
    {
        int oh = _geometry.OutputHeight, ow = _geometry.OutputWidth, wp = _geometry.PaddedWidth;
        int width = DirectConvolution.RowLength(_geometry.PaddedRowPositions);
        ReadOnlySpan<T> dy = _currentOutputGradient.Row(_chunkStart + image);
        Span<T> rows = _paddedGradientRows.AsSpan(image * Filters * width, Filters * width);
        for (int f = 0; f < Filters; f++)
        {
            for (int y = 0; y < oh; y++)
                dy.Slice((f * oh + y) * ow, ow).CopyTo(rows.Slice(f * width + y * wp, ow));
        }
    }

    private void FilterGradientUnit(int unit)
    {
        int width = DirectConvolution.RowLength(_geometry.PaddedRowPositions), paddedLength = _geometry.PaddedLength;
        int filter0 = unit * DirectConvolutionWeightGradient.FilterTile;
        int count = Math.Min(DirectConvolutionWeightGradient.FilterTile, Filters - filter0);
        DirectConvolutionWeightGradient.Accumulate(_chunkCount, MemoryMarshal.Cast<T, float>(_paddedGradientRows.AsSpan()), Filters * width, width, width,
            MemoryMarshal.Cast<T, float>(_padded.AsSpan(_chunkStart * paddedLength)), paddedLength, _offsets, filter0, count,
            MemoryMarshal.Cast<T, float>(Weights.Gradient.AsSpan()), MemoryMarshal.Cast<T, float>(Bias.Gradient.AsSpan()));
    }

    /// <summary>
    /// Runs <paramref name="body"/> over a fixed split of <paramref name="images"/> images into slots, each with its
    /// own scratch; which slot computes an image does not change what is computed for it.
    /// </summary>
    private void RunSlots(int images, Action<int> body)
    {
        _slots = Math.Max(1, Math.Min(images, 4 * NumericsSettings.MaxDegreeOfParallelism));
        int wideLength = Math.Max(
            DirectConvolution.PackedLength(Filters, 1) * DirectConvolution.RowLength(_geometry.PaddedRowPositions),
            DirectConvolution.PackedLength(Input.Channels, 1) * DirectConvolution.RowLength(_gradientGeometry.PaddedRowPositions));
        Grow(ref _wide, _slots * wideLength);
        ParallelWork.For(_slots, body, worthParallelising: images > 1);
    }

    private (int First, int End) SlotImages(int slot, int images) => (slot * images / _slots, (slot + 1) * images / _slots);

    private int WideLength => _wide.Length / _slots;

    /// <summary>Pads, convolves and unpads the images of one slot; the padded images stay for the weight gradient.</summary>
    // Fully optimised from the first call: training calls it thousands of times, starting with its first step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DirectForward(int slot)
    {
        var (first, end) = SlotImages(slot, _input.Rows);
        int paddedLength = _geometry.PaddedLength, positions = _geometry.PaddedRowPositions, rowLength = DirectConvolution.RowLength(positions);
        Span<T> wide = _wide.AsSpan(slot * WideLength, WideLength);
        for (int image = first; image < end; image++)
        {
            Span<T> padded = _padded.AsSpan(image * paddedLength, paddedLength);
            _geometry.PadImage<T>(_input.Row(image), padded);
            DirectConvolution.Multiply<T>(Filters, _packedWeights, _offsets, padded, positions, wide, rowLength);
            _geometry.UnpadOutput<T>(wide, rowLength, Filters, Bias.Value, _currentOutput.Row(image));
        }
    }

    /// <summary>dX of the images of one slot: their upstream gradient padded, convolved with the flipped filters.</summary>
    private void DirectInputGradient(int slot)
    {
        var (first, end) = SlotImages(slot, _currentOutputGradient.Rows);
        int paddedLength = _gradientGeometry.PaddedLength, positions = _gradientGeometry.PaddedRowPositions, rowLength = DirectConvolution.RowLength(positions);
        Span<T> wide = _wide.AsSpan(slot * WideLength, WideLength);
        Span<T> padded = _paddedGradient.AsSpan(slot * paddedLength, paddedLength);
        for (int image = first; image < end; image++)
        {
            _gradientGeometry.PadImage<T>(_currentOutputGradient.Row(image), padded);
            DirectConvolution.Multiply<T>(Input.Channels, _packedFlipped, _gradientOffsets, padded, positions, wide, rowLength);
            _gradientGeometry.UnpadOutput<T>(wide, rowLength, Input.Channels, default, _currentInputGradient.Row(image));
        }
    }

    /// <summary>
    /// Packs the filters of the input-gradient convolution: one per input channel c, over (f, a, b), with value
    /// W[f, c, K−1−a, K−1−b]; and sizes the slots' padded-gradient buffers, whose borders stay zero.
    /// </summary>
    private void PackFlippedWeights()
    {
        int k = KernelSize, channels = Input.Channels, depth = Filters * k * k, patch = _geometry.PatchSize;
        Span<T> packed = Grow(ref _packedFlipped, DirectConvolution.PackedLength(channels, depth));
        ReadOnlySpan<T> w = Weights.Value;
        int block = DirectConvolution.FilterBlock;
        packed.Clear();
        for (int c = 0; c < channels; c++)
        {
            Span<T> target = packed.Slice(c / block * depth * block + c % block);
            for (int f = 0; f < Filters; f++)
            {
                for (int a = 0; a < k; a++)
                {
                    for (int b = 0; b < k; b++)
                        target[((f * k + a) * k + b) * block] = w[f * patch + (c * k + k - 1 - a) * k + k - 1 - b];
                }
            }
        }
        int slots = Math.Max(1, Math.Min(_currentOutputGradient.Rows, 4 * NumericsSettings.MaxDegreeOfParallelism));
        Grow(ref _paddedGradient, slots * _gradientGeometry.PaddedLength);
    }

    private void PaddedToColumns(int image)
    {
        int positions = _geometry.OutputPositions, paddedLength = _geometry.PaddedLength;
        _geometry.PaddedToColumns<T>(_padded.AsSpan((_chunkStart + image) * paddedLength, paddedLength), _offsets,
            _columns.AsSpan(image * positions), _chunkCount * positions);
    }

    /// <summary>Grows <paramref name="buffer"/> to <paramref name="length"/> (new arrays are zero, which the padded borders rely on) and returns its first <paramref name="length"/> values.</summary>
    private static Span<T> Grow(ref T[] buffer, int length)
    {
        ReusableBuffer.EnsureLength(ref buffer, length);
        return buffer.AsSpan(0, length);
    }

    /// <inheritdoc/>
    internal override void Initialize(SeededRandom random)
    {
        // He initialisation over the fan-in C·K·K: the default for convolutions followed by ReLU.
        double deviation = Math.Sqrt(2.0 / _geometry.PatchSize);
        Span<T> w = Weights.Value;
        for (int i = 0; i < w.Length; i++)
            w[i] = T.CreateChecked(deviation * random.NextGaussian());
        Array.Clear(Bias.Value);
    }

    /// <summary>Unfolds images [start, start + count) of the last input, unless the patch matrix already holds them.</summary>
    private void UnfoldChunk(int start, int count)
    {
        _chunkStart = start;
        _chunkCount = count;
        // The forward pass of a batch that fits one chunk leaves its patches in place for the backward pass.
        if (_unfoldedForward == _forwardCount && _unfoldedStart == start && _unfoldedCount == count)
            return;
        ReusableBuffer.EnsureLength(ref _columns, _geometry.PatchSize * count * _geometry.OutputPositions);
        ParallelWork.For(count, _unfold);
        _unfoldedStart = start;
        _unfoldedCount = count;
        _unfoldedForward = _forwardCount;
    }

    private void Unfold(int image)
    {
        int positions = _geometry.OutputPositions;
        _geometry.ImageToColumns<T>(_input.Row(_chunkStart + image), _columns.AsSpan(image * positions), _chunkCount * positions);
    }

    private void Fold(int image)
    {
        int positions = _geometry.OutputPositions;
        _geometry.ColumnsToImage<T>(_columnGradient.AsSpan(image * positions), _chunkCount * positions, _currentInputGradient.Row(_chunkStart + image));
    }

    /// <summary>Copies image <paramref name="image"/>'s F×H'·W' block out of the filter-major product, adding the biases.</summary>
    private void ScatterOutput(int image)
    {
        int positions = _geometry.OutputPositions, width = _chunkCount * positions;
        Span<T> row = _currentOutput.Row(_chunkStart + image);
        ReadOnlySpan<T> bias = Bias.Value;
        for (int f = 0; f < Filters; f++)
            TensorPrimitives.Add(_product.AsSpan(f * width + image * positions, positions), bias[f], row.Slice(f * positions, positions));
    }

    /// <summary>Copies image <paramref name="image"/>'s upstream gradient into the filter-major layout of the product.</summary>
    private void GatherGradient(int image)
    {
        int positions = _geometry.OutputPositions, width = _chunkCount * positions;
        ReadOnlySpan<T> row = _currentOutputGradient.Row(_chunkStart + image);
        for (int f = 0; f < Filters; f++)
            row.Slice(f * positions, positions).CopyTo(_productGradient.AsSpan(f * width + image * positions, positions));
    }

    /// <summary>The float array behind a <typeparamref name="T"/> array, for the float-only Winograd path.</summary>
    private static float[] AsFloats(T[] array) => (float[])(object)array;
}
