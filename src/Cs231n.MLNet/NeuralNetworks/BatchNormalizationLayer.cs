using System.Numerics;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// Batch normalisation (Ioffe and Szegedy, CS231n's batchnorm_forward): each channel is normalised by the mean and
/// variance over its values in the minibatch, then scaled by γ and shifted by β. Rows hold <see cref="Channels"/>
/// planes of <see cref="PlaneSize"/> values; the 1-D form (<see cref="BatchNorm1dLayer{T}"/>) has planes of one value,
/// the spatial form (<see cref="SpatialBatchNormLayer{T}"/>) normalises each channel over every image and pixel.
/// </summary>
/// <remarks>
/// Training uses the minibatch statistics and updates the running ones: running ← momentum·running + (1 − momentum)·batch
/// (CS231n's rule, biased variance). Inference uses the running statistics, so a trained layer is a fixed per-channel
/// affine map. Sums accumulate per plane in the number type and across planes in double, channel by channel on all
/// cores, so results do not depend on the thread count.
/// </remarks>
/// <typeparam name="T">The number type.</typeparam>
public abstract class BatchNormalizationLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LayerParameter<T>[] _parameters;
    private readonly LayerParameter<T> _runningMean, _runningVariance;
    private readonly Action<int> _trainChannel, _inferChannel, _backwardChannel;
    private T[] _output = [], _inputGradient = [], _normalized = [];
    private readonly double[] _inverseDeviation;
    private Matrix<T> _input, _currentOutput, _currentOutputGradient, _currentInputGradient;
    private bool _lastWasTraining;

    /// <summary>Creates the layer for rows of <paramref name="channels"/> planes of <paramref name="planeSize"/> values.</summary>
    /// <param name="channels">Number of normalised channels (features).</param>
    /// <param name="planeSize">Values per channel in one row.</param>
    /// <param name="momentum">Weight of the old running statistics in each update, in [0, 1).</param>
    /// <param name="epsilon">Added to the variance before the square root (positive).</param>
    private protected BatchNormalizationLayer(int channels, int planeSize, double momentum, double epsilon)
    {
        if (channels < 1)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"Batch normalisation needs at least one channel; got {channels}.");
        if (planeSize < 1)
            throw new ArgumentOutOfRangeException(nameof(planeSize), planeSize, $"Batch normalisation needs at least one value per channel; got {planeSize}.");
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"The batch-norm momentum must be in [0, 1); got {momentum}.");
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"The batch-norm epsilon must be positive; got {epsilon}.");
        Channels = channels;
        PlaneSize = planeSize;
        Momentum = momentum;
        Epsilon = epsilon;
        Scale = new LayerParameter<T>("gamma", 1, channels, isRegularized: false);
        Shift = new LayerParameter<T>("beta", 1, channels, isRegularized: false);
        // The running statistics are listed with the parameters, with a gradient that is always zero, so that every
        // update rule leaves them alone while the solver's snapshots (best-validation weights, Polyak averaging) and
        // the saved model carry them together with the weights they belong to.
        _runningMean = new LayerParameter<T>("running_mean", 1, channels, isRegularized: false);
        _runningVariance = new LayerParameter<T>("running_var", 1, channels, isRegularized: false);
        _parameters = [Scale, Shift, _runningMean, _runningVariance];
        _inverseDeviation = new double[channels];
        ResetStatistics();
        _trainChannel = TrainChannel;
        _inferChannel = InferChannel;
        _backwardChannel = BackwardChannel;
    }

    /// <summary>Number of normalised channels.</summary>
    public int Channels { get; }

    /// <summary>Values per channel in one row (1 for the 1-D form, H·W for the spatial one).</summary>
    public int PlaneSize { get; }

    /// <summary>Weight of the old running statistics in each update (CS231n's 0.9 by default).</summary>
    public double Momentum { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>γ, one per channel (starts at 1).</summary>
    public LayerParameter<T> Scale { get; }

    /// <summary>β, one per channel (starts at 0).</summary>
    public LayerParameter<T> Shift { get; }

    /// <summary>The running mean per channel, used at inference; writable so a saved model can restore it.</summary>
    public T[] RunningMean => _runningMean.Value;

    /// <summary>The running (biased) variance per channel, used at inference; writable so a saved model can restore it.</summary>
    public T[] RunningVariance => _runningVariance.Value;

    /// <summary>
    /// When true, training passes normalise with the minibatch statistics but leave the running ones unchanged; a
    /// gradient check sets it so that its thousands of forward passes do not drift them.
    /// </summary>
    public bool FreezeStatistics { get; set; }

    /// <inheritdoc/>
    public override int InputSize => Channels * PlaneSize;

    /// <inheritdoc/>
    public override int OutputSize => Channels * PlaneSize;

    /// <summary>γ and β, then the running mean and variance (whose gradients stay zero: no update rule moves them).</summary>
    public override IReadOnlyList<LayerParameter<T>> Parameters => _parameters;

    /// <summary>Sets the running statistics to mean 0 and variance 1.</summary>
    public void ResetStatistics()
    {
        Array.Clear(RunningMean);
        Array.Fill(RunningVariance, T.One);
    }

    /// <inheritdoc/>
    protected override Matrix<T> ForwardCore(Matrix<T> input, bool training)
    {
        _input = input;
        _currentOutput = Matrix<T>.Reuse(ref _output, input.Rows, OutputSize);
        _lastWasTraining = training;
        if (input.Rows == 0)
            return _currentOutput;
        if (training)
        {
            if (_normalized.Length < input.Rows * InputSize)
                _normalized = new T[input.Rows * InputSize];
            ParallelWork.For(Channels, _trainChannel);
        }
        else
        {
            ParallelWork.For(Channels, _inferChannel, worthParallelising: (long)input.Rows * InputSize > 1 << 14);
        }
        return _currentOutput;
    }

    /// <inheritdoc/>
    protected override Matrix<T> BackwardCore(Matrix<T> outputGradient)
    {
        if (!_lastWasTraining)
            throw new InvalidOperationException("Batch normalisation back-propagates only through a training-mode forward pass.");
        _currentOutputGradient = outputGradient;
        _currentInputGradient = ComputesInputGradient ? Matrix<T>.Reuse(ref _inputGradient, outputGradient.Rows, InputSize) : default;
        ParallelWork.For(Channels, _backwardChannel);
        return _currentInputGradient;
    }

    /// <inheritdoc/>
    internal override void Initialize(SeededRandom random)
    {
        Array.Fill(Scale.Value, T.One);
        Array.Clear(Shift.Value);
        ResetStatistics();
    }

    private void TrainChannel(int c)
    {
        int n = _input.Rows, p = PlaneSize, offset = c * p;
        double count = (double)n * p;
        double sum = 0;
        for (int r = 0; r < n; r++)
            sum += double.CreateChecked(OrderedSum.Sum<T>(_input.Row(r).Slice(offset, p)));
        double mean = sum / count;
        T meanT = T.CreateChecked(mean);
        double squares = 0;
        for (int r = 0; r < n; r++)
            squares += double.CreateChecked(CentreAndSquare(_input.Row(r).Slice(offset, p), meanT, _normalized.AsSpan(r * InputSize + offset, p)));
        double variance = squares / count;
        double inverse = 1 / Math.Sqrt(variance + Epsilon);
        _inverseDeviation[c] = inverse;
        T inverseT = T.CreateChecked(inverse), gamma = Scale.Value[c], beta = Shift.Value[c];
        for (int r = 0; r < n; r++)
            Normalize(_normalized.AsSpan(r * InputSize + offset, p), inverseT, gamma, beta, _currentOutput.Row(r).Slice(offset, p));
        if (!FreezeStatistics)
        {
            T keep = T.CreateChecked(Momentum), take = T.CreateChecked(1 - Momentum);
            RunningMean[c] = keep * RunningMean[c] + take * meanT;
            RunningVariance[c] = keep * RunningVariance[c] + take * T.CreateChecked(variance);
        }
    }

    private void InferChannel(int c)
    {
        int p = PlaneSize, offset = c * p;
        // y = γ·(x − μ)/√(σ² + ε) + β as one multiply-add per value.
        double scale = double.CreateChecked(Scale.Value[c]) / Math.Sqrt(double.CreateChecked(RunningVariance[c]) + Epsilon);
        T scaleT = T.CreateChecked(scale);
        T shiftT = T.CreateChecked(double.CreateChecked(Shift.Value[c]) - scale * double.CreateChecked(RunningMean[c]));
        for (int r = 0; r < _input.Rows; r++)
            ScaleShift(_input.Row(r).Slice(offset, p), scaleT, shiftT, _currentOutput.Row(r).Slice(offset, p));
    }

    private void BackwardChannel(int c)
    {
        int n = _input.Rows, p = PlaneSize, offset = c * p;
        double sumGradient = 0, sumProduct = 0;
        for (int r = 0; r < n; r++)
        {
            var (gradient, product) = SumAndDot(_currentOutputGradient.Row(r).Slice(offset, p), _normalized.AsSpan(r * InputSize + offset, p));
            sumGradient += double.CreateChecked(gradient);
            sumProduct += double.CreateChecked(product);
        }
        Scale.Gradient[c] += T.CreateChecked(sumProduct);
        Shift.Gradient[c] += T.CreateChecked(sumGradient);
        if (!ComputesInputGradient)
            return;
        // dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)).
        double count = (double)n * p;
        double factor = double.CreateChecked(Scale.Value[c]) * _inverseDeviation[c];
        T k1 = T.CreateChecked(factor), k2 = T.CreateChecked(-factor * sumGradient / count), k3 = T.CreateChecked(-factor * sumProduct / count);
        for (int r = 0; r < n; r++)
            InputGradient(_currentOutputGradient.Row(r).Slice(offset, p), _normalized.AsSpan(r * InputSize + offset, p), k1, k2, k3, _currentInputGradient.Row(r).Slice(offset, p));
    }

    // The fused passes below each read their operands once (the layer is bound by memory traffic, not arithmetic).
    // Their sums add vector lanes from index 0, then the lanes, then the tail, like OrderedSum: the order depends only
    // on the length.

    /// <summary>centred = x − mean; returns Σ centred².</summary>
    private static T CentreAndSquare(ReadOnlySpan<T> x, T mean, Span<T> centred)
    {
        int i = 0;
        T total = T.Zero;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && x.Length >= Vector<T>.Count)
        {
            var m = new Vector<T>(mean);
            var acc = Vector<T>.Zero;
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var d = new Vector<T>(x[i..]) - m;
                d.CopyTo(centred[i..]);
                acc += d * d;
            }
            total = Vector.Sum(acc);
        }
        for (; i < x.Length; i++)
        {
            T d = x[i] - mean;
            centred[i] = d;
            total += d * d;
        }
        return total;
    }

    /// <summary>x̂ = centred·inverse in place, and y = γ·x̂ + β.</summary>
    private static void Normalize(Span<T> centred, T inverse, T gamma, T beta, Span<T> output)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vi = new Vector<T>(inverse);
            var vg = new Vector<T>(gamma);
            var vb = new Vector<T>(beta);
            for (; i <= centred.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var n = new Vector<T>(centred[i..]) * vi;
                n.CopyTo(centred[i..]);
                (n * vg + vb).CopyTo(output[i..]);
            }
        }
        for (; i < centred.Length; i++)
        {
            T n = centred[i] * inverse;
            centred[i] = n;
            output[i] = n * gamma + beta;
        }
    }

    /// <summary>(Σ dy, Σ dy·x̂).</summary>
    private static (T Sum, T Dot) SumAndDot(ReadOnlySpan<T> dy, ReadOnlySpan<T> normalized)
    {
        int i = 0;
        T sum = T.Zero, dot = T.Zero;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && dy.Length >= Vector<T>.Count)
        {
            var s = Vector<T>.Zero;
            var d = Vector<T>.Zero;
            for (; i <= dy.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var g = new Vector<T>(dy[i..]);
                s += g;
                d += g * new Vector<T>(normalized[i..]);
            }
            sum = Vector.Sum(s);
            dot = Vector.Sum(d);
        }
        for (; i < dy.Length; i++)
        {
            sum += dy[i];
            dot += dy[i] * normalized[i];
        }
        return (sum, dot);
    }

    /// <summary>dx = k1·dy + k2 + k3·x̂.</summary>
    private static void InputGradient(ReadOnlySpan<T> dy, ReadOnlySpan<T> normalized, T k1, T k2, T k3, Span<T> dx)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var v1 = new Vector<T>(k1);
            var v2 = new Vector<T>(k2);
            var v3 = new Vector<T>(k3);
            for (; i <= dy.Length - Vector<T>.Count; i += Vector<T>.Count)
                (new Vector<T>(dy[i..]) * v1 + v2 + new Vector<T>(normalized[i..]) * v3).CopyTo(dx[i..]);
        }
        for (; i < dy.Length; i++)
            dx[i] = dy[i] * k1 + k2 + normalized[i] * k3;
    }

    /// <summary>destination = a·x + b, value by value.</summary>
    private static void ScaleShift(ReadOnlySpan<T> x, T a, T b, Span<T> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var va = new Vector<T>(a);
            var vb = new Vector<T>(b);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
                (new Vector<T>(x[i..]) * va + vb).CopyTo(destination[i..]);
        }
        for (; i < x.Length; i++)
            destination[i] = x[i] * a + b;
    }
}
