using System.Numerics;
using System.Numerics.Tensors;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// A sequence of layers followed by a classification loss, with L2 regularisation of the weights. A linear classifier
/// is the network with a single <see cref="AffineLayer{T}"/>; a multilayer perceptron interleaves affine layers with
/// activations and dropout. The objective is <c>data loss + ½·λ·Σ‖W‖²</c> over every regularised parameter, so the
/// regularisation gradient is λ·W (plain weight decay).
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class NeuralNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;
    private readonly LayerParameter<T>[] _parameters;
    private T[] _scoreGradient = [];

    // State of the parallel gradient seeding (see SeedGradients), kept so that a training step allocates nothing.
    private T[] _seedSums = [];
    private T _seedLambda;
    private bool _seedScales;
    private LayerParameter<T>? _seeded;
    private Action<int>? _seedSlice;

    /// <summary>Chains <paramref name="layers"/> (each layer's output size must equal the next one's input size).</summary>
    /// <param name="layers">The layers, first to last; the last one outputs the class scores.</param>
    /// <param name="loss">The data loss on the class scores.</param>
    /// <param name="l2Regularization">λ, the L2 regularisation strength (non-negative).</param>
    public NeuralNetwork(IEnumerable<Layer<T>> layers, ClassificationLoss<T> loss, double l2Regularization = 0)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(loss);
        _layers = layers.ToArray();
        if (_layers.Length == 0)
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        for (int i = 1; i < _layers.Length; i++)
        {
            if (_layers[i].InputSize != _layers[i - 1].OutputSize)
                throw new ArgumentException($"Layer {i} ({_layers[i].GetType().Name}) expects {_layers[i].InputSize} inputs but layer {i - 1} ({_layers[i - 1].GetType().Name}) outputs {_layers[i - 1].OutputSize}.", nameof(layers));
        }
        Loss = loss;
        L2Regularization = l2Regularization;
        _parameters = _layers.SelectMany(l => l.Parameters).ToArray();
        // Nothing consumes the gradient with respect to the data, and for the first affine layer it is the largest product.
        _layers[0].ComputesInputGradient = false;
    }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<Layer<T>> Layers => _layers;

    /// <summary>The data loss.</summary>
    public ClassificationLoss<T> Loss { get; }

    /// <summary>Every learnable parameter of every layer, in layer order.</summary>
    public IReadOnlyList<LayerParameter<T>> Parameters => _parameters;

    /// <summary>Number of input features.</summary>
    public int InputSize => _layers[0].InputSize;

    /// <summary>Number of classes (outputs of the last layer).</summary>
    public int ClassCount => _layers[^1].OutputSize;

    /// <summary>λ, the L2 regularisation strength applied to regularised parameters (weights).</summary>
    public double L2Regularization
    {
        get;
        set
        {
            if (!(value >= 0 && double.IsFinite(value)))
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The L2 regularisation must be finite and non-negative; got {value}.");
            field = value;
        }
    }

    /// <summary>Draws initial weights for every layer from a generator seeded with <paramref name="seed"/>.</summary>
    public void Initialize(int seed)
    {
        var random = new SeededRandom(seed);
        foreach (var layer in _layers)
            layer.Initialize(random);
    }

    /// <summary>Forward pass to the class scores (N×ClassCount), in a buffer owned by the last layer.</summary>
    /// <param name="input">N×InputSize features.</param>
    /// <param name="training">True to apply dropout (training mode).</param>
    public Matrix<T> Scores(Matrix<T> input, bool training = false)
    {
        var activation = input;
        foreach (var layer in _layers)
            activation = layer.Forward(activation, training);
        return activation;
    }

    /// <summary>
    /// One training evaluation: forward in training mode, loss, backward. Overwrites every parameter gradient with the
    /// gradient of the full objective (data loss plus L2 term) and returns the objective. Layers add their gradients
    /// on top of the L2 term's, which the gradients are seeded with.
    /// </summary>
    /// <param name="input">N×InputSize features.</param>
    /// <param name="labels">N class indices.</param>
    public T ComputeLossAndGradients(Matrix<T> input, ReadOnlySpan<int> labels)
    {
        var scores = Scores(input, training: true);
        var scoreGradient = Matrix<T>.Reuse(ref _scoreGradient, scores.Rows, scores.Columns);
        T loss = Loss.Compute(scores, labels, scoreGradient);
        T regularization = SeedGradients();
        var gradient = scoreGradient;
        for (int i = _layers.Length - 1; i >= 0; i--)
            gradient = _layers[i].Backward(gradient);
        return loss + regularization;
    }

    /// <summary>
    /// The objective without gradients (data loss plus L2 term); <paramref name="training"/> chooses whether dropout is
    /// applied.
    /// </summary>
    public T ComputeLoss(Matrix<T> input, ReadOnlySpan<int> labels, bool training = false)
    {
        var scores = Scores(input, training);
        var scoreGradient = Matrix<T>.Reuse(ref _scoreGradient, scores.Rows, scores.Columns);
        return Loss.Compute(scores, labels, scoreGradient) + RegularizationLoss();
    }

    /// <summary>½·λ·Σ‖W‖² over the regularised parameters.</summary>
    public T RegularizationLoss()
    {
        if (L2Regularization == 0)
            return T.Zero;
        T sum = T.Zero;
        foreach (var parameter in _parameters)
        {
            if (parameter.IsRegularized)
                sum += TensorPrimitives.SumOfSquares<T>(parameter.Value);
        }
        return T.CreateChecked(0.5 * L2Regularization) * sum;
    }

    /// <summary>
    /// Starts every gradient at the gradient of the L2 term, λ·W for regularised parameters and zero for the others, so
    /// that the backward pass accumulates the data gradient on top; returns ½·λ·Σ‖W‖². One pass over the weights does
    /// what clearing, adding λ·W and summing the squares would do in three.
    /// </summary>
    /// <remarks>
    /// A large array (a weight matrix) is seeded in fixed slices on all worker threads: the pass is memory-bound, and
    /// two cores move twice the data. The slices, and the order in which their sums of squares are added, depend on the
    /// length only, so the result is the same for any thread count.
    /// </remarks>
    private T SeedGradients()
    {
        _seedLambda = T.CreateChecked(L2Regularization);
        T sum = T.Zero;
        foreach (var parameter in _parameters)
        {
            _seedScales = parameter.IsRegularized && L2Regularization != 0;
            int length = parameter.Value.Length;
            if (length < 2 * SeedSliceLength)
            {
                if (_seedScales)
                    sum += ScaleAndSumSquares(parameter.Value, _seedLambda, parameter.Gradient);
                else
                    Array.Clear(parameter.Gradient);
                continue;
            }
            int slices = (length + SeedSliceLength - 1) / SeedSliceLength;
            ReusableBuffer.EnsureLength(ref _seedSums, slices);
            _seeded = parameter;
            ParallelWork.For(slices, _seedSlice ??= SeedSlice);
            _seeded = null;
            if (_seedScales)
            {
                for (int s = 0; s < slices; s++)
                    sum += _seedSums[s];
            }
        }
        return T.CreateChecked(0.5 * L2Regularization) * sum;
    }

    /// <summary>Values per slice of the parallel seeding: whole cache lines and vectors, and 64 KB of floats.</summary>
    private const int SeedSliceLength = 1 << 14;

    private void SeedSlice(int slice)
    {
        int start = slice * SeedSliceLength, count = Math.Min(SeedSliceLength, _seeded!.Value.Length - start);
        Span<T> gradient = _seeded.Gradient.AsSpan(start, count);
        if (_seedScales)
            _seedSums[slice] = ScaleAndSumSquares(_seeded.Value.AsSpan(start, count), _seedLambda, gradient);
        else
            gradient.Clear();
    }

    /// <summary>Writes λ·w to <paramref name="scaled"/> and returns Σw².</summary>
    private static T ScaleAndSumSquares(ReadOnlySpan<T> w, T lambda, Span<T> scaled)
    {
        int i = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && w.Length >= Vector<T>.Count)
        {
            var l = new Vector<T>(lambda);
            Vector<T> s0 = Vector<T>.Zero;
            for (; i <= w.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(w[i..]);
                (l * v).CopyTo(scaled[i..]);
                s0 += v * v;
            }
            sum = Vector.Sum(s0);
        }
        for (; i < w.Length; i++)
        {
            scaled[i] = lambda * w[i];
            sum += w[i] * w[i];
        }
        return sum;
    }
}
