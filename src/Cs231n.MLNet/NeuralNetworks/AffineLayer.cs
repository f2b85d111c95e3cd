using System.Numerics;
using System.Numerics.Tensors;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// Fully connected layer <c>out = x·Wᵀ + b</c>. Shapes: x is N×D (one example per row), W is M×D (one row of input
/// weights per output unit, so for a linear classifier W is classes×features), b has length M, out is N×M.
/// </summary>
/// <remarks>
/// Backward: dW += doutᵀ·x (M×D), db += column sums of dout, dx = dout·W (N×D). All three products use the shared GEMM.
/// </remarks>
/// <typeparam name="T">The number type.</typeparam>
public sealed class AffineLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LayerParameter<T>[] _parameters;
    private T[] _output = [];
    private T[] _inputGradient = [];
    private Matrix<T> _input;
    private SideBySideGemm? _sideBySide;

    /// <summary>Creates a layer from <paramref name="inputSize"/> inputs to <paramref name="outputSize"/> outputs.</summary>
    /// <param name="inputSize">D, the number of inputs.</param>
    /// <param name="outputSize">M, the number of outputs (units).</param>
    /// <param name="initialization">How <see cref="Weights"/> are drawn when the network is initialised.</param>
    /// <param name="initializationScale">Standard deviation for <see cref="WeightInitialization.Scaled"/>; ignored otherwise.</param>
    public AffineLayer(int inputSize, int outputSize, WeightInitialization initialization = WeightInitialization.He, double initializationScale = 1e-3)
    {
        if (inputSize < 1)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"A fully connected layer needs at least one input; got {inputSize}.");
        if (outputSize < 1)
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, $"A fully connected layer needs at least one output; got {outputSize}.");
        if (initialization == WeightInitialization.Scaled && !(initializationScale >= 0 && double.IsFinite(initializationScale)))
            throw new ArgumentOutOfRangeException(nameof(initializationScale), initializationScale, $"The weight initialisation scale must be finite and non-negative; got {initializationScale}.");
        Initialization = initialization;
        InitializationScale = initializationScale;
        Weights = new LayerParameter<T>("W", outputSize, inputSize, isRegularized: true);
        Bias = new LayerParameter<T>("b", 1, outputSize, isRegularized: false);
        _parameters = [Weights, Bias];
    }

    /// <inheritdoc/>
    public override int InputSize => Weights.Columns;

    /// <inheritdoc/>
    public override int OutputSize => Weights.Rows;

    /// <summary>W, OutputSize×InputSize.</summary>
    public LayerParameter<T> Weights { get; }

    /// <summary>b, of length OutputSize.</summary>
    public LayerParameter<T> Bias { get; }

    /// <summary>How the weights are initialised.</summary>
    public WeightInitialization Initialization { get; }

    /// <summary>Standard deviation used by <see cref="WeightInitialization.Scaled"/>.</summary>
    public double InitializationScale { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<LayerParameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    protected override Matrix<T> ForwardCore(Matrix<T> input, bool training)
    {
        _input = input;
        int n = input.Rows, d = InputSize, m = OutputSize;
        var output = Matrix<T>.Reuse(ref _output, n, m);
        // Seed every row with b, then accumulate x·Wᵀ on top (beta = 1): one pass, no separate bias sweep.
        ReadOnlySpan<T> bias = Bias.Value;
        for (int i = 0; i < n; i++)
            bias.CopyTo(output.Row(i));
        GenericGemm.Multiply(MatrixTranspose.None, MatrixTranspose.Transpose, n, m, d,
            T.One, input.Span, d, Weights.Value, d, T.One, output.Span, m);
        return output;
    }

    /// <inheritdoc/>
    protected override Matrix<T> BackwardCore(Matrix<T> outputGradient)
    {
        int n = _input.Rows, d = InputSize, m = OutputSize;
        Span<T> db = Bias.Gradient;
        for (int i = 0; i < n; i++)
            TensorPrimitives.Add(db, outputGradient.Row(i), db);
        if (ComputesInputGradient && typeof(T) == typeof(float) && SideBySideGemm.Suits(m, d, n, n, d, m))
        {
            // The two products are independent: each runs whole on one core instead of both being split over all.
            var gradient = Matrix<T>.Reuse(ref _inputGradient, n, d);
            BackwardSideBySide(outputGradient, gradient);
            return gradient;
        }
        GenericGemm.Multiply(MatrixTranspose.Transpose, MatrixTranspose.None, m, d, n,
            T.One, outputGradient.Span, m, _input.Span, d, T.One, Weights.Gradient, d);
        if (!ComputesInputGradient)
            return default;
        var inputGradient = Matrix<T>.Reuse(ref _inputGradient, n, d);
        GenericGemm.Multiply(MatrixTranspose.None, MatrixTranspose.None, n, d, m,
            T.One, outputGradient.Span, m, Weights.Value, d, T.Zero, inputGradient.Span, d);
        return inputGradient;
    }

    /// <summary>dW += doutᵀ·x and dx = dout·W, side by side (single precision only).</summary>
    private unsafe void BackwardSideBySide(Matrix<T> outputGradient, Matrix<T> inputGradient)
    {
        int n = _input.Rows, d = InputSize, m = OutputSize;
        _sideBySide ??= new SideBySideGemm();
        fixed (T* dout = outputGradient.Span, x = _input.Span, dw = Weights.Gradient, w = Weights.Value, dx = inputGradient.Span)
        {
            _sideBySide.Set(0, true, false, m, d, n, 1f, (float*)dout, m, (float*)x, d, 1f, (float*)dw, d);
            _sideBySide.Set(1, false, false, n, d, m, 1f, (float*)dout, m, (float*)w, d, 0f, (float*)dx, d);
            _sideBySide.Run();
        }
    }

    /// <inheritdoc/>
    internal override void Initialize(SeededRandom random)
    {
        double deviation = Initialization switch
        {
            WeightInitialization.He => Math.Sqrt(2.0 / InputSize),
            WeightInitialization.Xavier => Math.Sqrt(2.0 / (InputSize + OutputSize)),
            _ => InitializationScale,
        };
        Span<T> w = Weights.Value;
        for (int i = 0; i < w.Length; i++)
            w[i] = T.CreateChecked(deviation * random.NextGaussian());
        Array.Clear(Bias.Value);
    }
}
