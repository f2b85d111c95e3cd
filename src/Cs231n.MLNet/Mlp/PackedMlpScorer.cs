using System.Numerics.Tensors;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Mlp;

/// <summary>
/// The prediction-time forward pass of a fitted perceptron (a linear classifier being one without hidden layers): every weight matrix packed once for the GEMM kernel, and
/// rows scored in units of a few dozen that run all the layers back to back while their activations stay in the
/// per-core cache. Each row's arithmetic is independent of the other rows in its block, so
/// <c>PredictionEngine</c> (one row) and <c>Transform</c> (blocks) give bit-identical scores.
/// </summary>
internal sealed unsafe class PackedMlpScorer
{
    /// <summary>Rows per unit of work: a multiple of every kernel's tile height, small enough for L2.</summary>
    private const int UnitRows = 48;

    private readonly int[] _layerSizes;
    private readonly PrepackedMatrix[] _weights;
    private readonly float[][] _biases;
    private readonly ActivationFunction _activation;
    private readonly int _widest;
    private readonly int _scratch;
    private readonly double _flopsPerRow;
    private readonly bool _softmax;

    /// <summary>Packs the layers; <paramref name="softmax"/> turns the last layer's scores into probabilities.</summary>
    public PackedMlpScorer(int[] layerSizes, float[][] weights, float[][] biases, ActivationFunction activation, SimdInstructionSet kernel, bool softmax = true)
    {
        _softmax = softmax;
        _layerSizes = layerSizes;
        _biases = biases;
        _activation = activation;
        _weights = new PrepackedMatrix[weights.Length];
        for (int l = 0; l < weights.Length; l++)
        {
            // W_l is outputs×inputs; the product needs op(B) = W_lᵀ (inputs×outputs).
            _weights[l] = new PrepackedMatrix(transposed: true, weights[l], layerSizes[l], layerSizes[l], layerSizes[l + 1], kernel);
            _flopsPerRow += 2.0 * layerSizes[l] * layerSizes[l + 1];
        }
        _widest = layerSizes.Skip(1).Max();
        _scratch = _weights.Max(w => w.ScratchLength);
        Kernel = kernel;
    }

    /// <summary>The kernel the weights are packed for.</summary>
    public SimdInstructionSet Kernel { get; }

    /// <summary>Softmax probabilities (or raw scores) for <paramref name="rowCount"/> rows of features.</summary>
    public void Score(ReadOnlySpan<float> features, int rowCount, Span<float> scores)
    {
        int units = (rowCount + UnitRows - 1) / UnitRows;
        bool parallel = units > 1 && rowCount * _flopsPerRow >= 1 << 22;
        fixed (float* input = features, output = scores)
        {
            float* x = input, s = output;
            ParallelWork.For(units, unit =>
            {
                int row0 = unit * UnitRows, rows = Math.Min(UnitRows, rowCount - row0);
                ScoreUnit(x + (nint)row0 * _layerSizes[0], rows, s + (nint)row0 * _layerSizes[^1]);
            }, parallel);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void ScoreUnit(float* features, int rows, float* scores)
    {
        using PinnedBuffer ping = PinnedBuffer.Rent((long)UnitRows * _widest);
        using PinnedBuffer pong = PinnedBuffer.Rent((long)UnitRows * _widest);
        using PinnedBuffer scratch = PinnedBuffer.Rent(_scratch);
        float* input = features, output = ping.Pointer, spare = pong.Pointer;
        int classes = _layerSizes[^1];
        for (int l = 0; l < _weights.Length; l++)
        {
            int inputs = _layerSizes[l], outputs = _layerSizes[l + 1];
            bool last = l == _weights.Length - 1;
            if (last)
                output = scores;
            for (int r = 0; r < rows; r++)
                _biases[l].CopyTo(new Span<float>(output + (nint)r * outputs, outputs));
            _weights[l].MultiplyAdd(rows, input, inputs, output, outputs, scratch.Pointer);
            if (!last)
            {
                var values = new Span<float>(output, rows * outputs);
                Activate(values);
                input = output;
                output = spare;
                spare = input;
            }
        }
        for (int r = 0; r < rows && _softmax; r++)
        {
            var row = new Span<float>(scores + (nint)r * classes, classes);
            SoftmaxCrossEntropyLoss<float>.Probabilities(row, row);
        }
    }

    /// <summary>The hidden layers' nonlinearity, with the same primitives as the training layers.</summary>
    private void Activate(Span<float> values)
    {
        switch (_activation)
        {
            case ActivationFunction.Relu:
                // Written out (not a library call, which would run unoptimised for a process's first calls).
                ReluLayer<float>.Rectify(values, values);
                break;
            case ActivationFunction.LeakyRelu:
                float slope = (float)MlpArchitecture.LeakySlope;
                for (int i = 0; i < values.Length; i++)
                    values[i] = values[i] > 0 ? values[i] : values[i] * slope;
                break;
            case ActivationFunction.Tanh:
                TensorPrimitives.Tanh(values, values);
                break;
            case ActivationFunction.Sigmoid:
                TensorPrimitives.Sigmoid(values, values);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(values), _activation, $"Unknown activation {_activation}.");
        }
    }
}
