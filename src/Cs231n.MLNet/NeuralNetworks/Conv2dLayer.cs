using System.Numerics;
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
/// Computed by im2col into the shared SIMD GEMM. The images of a chunk are unfolded side by side into one patch
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
    private readonly Action<int> _unfold, _fold, _scatterOutput, _gatherGradient;
    private T[] _columns = [], _columnGradient = [], _product = [], _productGradient = [];
    private T[] _output = [], _inputGradient = [];
    private Matrix<T> _input, _currentOutput, _currentOutputGradient, _currentInputGradient;
    private int _chunkStart, _chunkCount, _unfoldedStart = -1, _unfoldedCount;
    private long _forwardCount, _unfoldedForward = -1;

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
    }

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

    private int ChunkImages => Math.Max(1, PatchBudget / (_geometry.PatchSize * _geometry.OutputPositions));

    /// <inheritdoc/>
    protected override Matrix<T> ForwardCore(Matrix<T> input, bool training)
    {
        _input = input;
        _forwardCount++;
        _currentOutput = Matrix<T>.Reuse(ref _output, input.Rows, OutputSize);
        int chunk = Math.Min(ChunkImages, Math.Max(1, input.Rows));
        int positions = _geometry.OutputPositions;
        for (int start = 0; start < input.Rows; start += chunk)
        {
            int count = Math.Min(chunk, input.Rows - start);
            UnfoldChunk(start, count);
            int width = count * positions;
            EnsureLength(ref _product, Filters * width);
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
        if (outputGradient.Rows != n)
            throw new ArgumentException($"The upstream gradient has {outputGradient.Rows} rows but the last forward pass had {n}.", nameof(outputGradient));
        _currentOutputGradient = outputGradient;
        if (ComputesInputGradient)
            _currentInputGradient = Matrix<T>.Reuse(ref _inputGradient, n, InputSize);
        int chunk = Math.Min(ChunkImages, Math.Max(1, n));
        int positions = _geometry.OutputPositions, patch = _geometry.PatchSize;
        Span<T> db = Bias.Gradient;
        for (int start = 0; start < n; start += chunk)
        {
            int count = Math.Min(chunk, n - start);
            UnfoldChunk(start, count);
            int width = count * positions;
            EnsureLength(ref _productGradient, Filters * width);
            ParallelWork.For(count, _gatherGradient);
            for (int f = 0; f < Filters; f++)
                db[f] += OrderedSum.Sum<T>(_productGradient.AsSpan(f * width, width));
            GenericGemm.Multiply(MatrixTranspose.None, MatrixTranspose.Transpose, Filters, patch, width,
                T.One, _productGradient, width, _columns, width, T.One, Weights.Gradient, patch);
            if (!ComputesInputGradient)
                continue;
            EnsureLength(ref _columnGradient, patch * width);
            GenericGemm.Multiply(MatrixTranspose.Transpose, MatrixTranspose.None, patch, width, Filters,
                T.One, Weights.Value, patch, _productGradient, width, T.Zero, _columnGradient, width);
            ParallelWork.For(count, _fold);
        }
        return ComputesInputGradient ? _currentInputGradient : default;
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
        EnsureLength(ref _columns, _geometry.PatchSize * count * _geometry.OutputPositions);
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

    private static void EnsureLength(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
            buffer = new T[length];
    }
}
