using Microsoft.ML;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Mlp;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Numerics;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet;

/// <summary>
/// A fitted multilayer perceptron: for every layer l, W_l (outputs×inputs) and b_l; hidden layers apply
/// <see cref="Activation"/>; <c>Score</c> holds the softmax probabilities of the last layer's scores. Dropout is a
/// training-time regulariser only (inverted dropout needs no rescaling at prediction).
/// </summary>
public sealed class MultilayerPerceptronModelParameters : Cs231nModelParameters, IPersistedModel<MultilayerPerceptronModelParameters>
{
    /// <summary>Largest number of layers a saved model may declare.</summary>
    private const int MaximumLayerCount = 1000;

    private readonly int[] _layerSizes;
    private readonly float[][] _weights;
    private readonly float[][] _biases;
    private volatile PackedMlpScorer? _scorer;

    internal MultilayerPerceptronModelParameters(int[] layerSizes, ActivationFunction activation, float[][] weights, float[][] biases, TrainingHistory history)
        : base(layerSizes[^1], layerSizes[0])
    {
        if (weights.Length != layerSizes.Length - 1 || biases.Length != weights.Length)
            throw new ArgumentException($"{layerSizes.Length} layer sizes need {layerSizes.Length - 1} weight matrices and bias vectors; got {weights.Length} and {biases.Length}.");
        for (int l = 0; l < weights.Length; l++)
        {
            if (weights[l].Length != (long)layerSizes[l + 1] * layerSizes[l] || biases[l].Length != layerSizes[l + 1])
                throw new ArgumentException($"Layer {l} needs {layerSizes[l + 1]}×{layerSizes[l]} weights and {layerSizes[l + 1]} biases.");
        }
        _layerSizes = layerSizes;
        _weights = weights;
        _biases = biases;
        Activation = activation;
        History = history;
    }

    /// <summary>Units per layer from input to output: FeatureCount, the hidden sizes, ClassCount.</summary>
    public IReadOnlyList<int> LayerSizes => _layerSizes;

    /// <summary>The hidden layers' nonlinearity.</summary>
    public ActivationFunction Activation { get; }

    /// <summary>W_l for every layer l, row-major LayerSizes[l + 1]×LayerSizes[l] (one row of input weights per unit).</summary>
    public IReadOnlyList<ReadOnlyMemory<float>> Weights => _weights.Select(w => (ReadOnlyMemory<float>)w).ToArray();

    /// <summary>b_l for every layer l, of length LayerSizes[l + 1].</summary>
    public IReadOnlyList<ReadOnlyMemory<float>> Biases => _biases.Select(b => (ReadOnlyMemory<float>)b).ToArray();

    /// <summary>Loss per minibatch and accuracy per epoch, as recorded during training.</summary>
    public TrainingHistory History { get; }

    internal override void Score(ReadOnlySpan<float> features, int rowCount, Span<float> scores)
        => Scorer().Score(features, rowCount, scores);

    /// <summary>The weights packed for the current GEMM kernel, built on first use (a race only packs them twice).</summary>
    private PackedMlpScorer Scorer()
    {
        SimdInstructionSet kernel = NumericsSettings.InstructionSet;
        PackedMlpScorer? scorer = _scorer;
        if (scorer is null || scorer.Kernel != kernel)
            _scorer = scorer = new PackedMlpScorer(_layerSizes, _weights, _biases, Activation, kernel);
        return scorer;
    }

    static ModelFormat IPersistedModel<MultilayerPerceptronModelParameters>.Format => Format;

    private static readonly ModelFormat Format = new("CS231MLP", "Cs231nMlpModel", Version: 0x00010002, OldestReadableVersion: 0x00010001);

    private protected override void Save(ModelSaveContext context) => ModelPersistence.Save(context, this);

    void IPersistedModel<MultilayerPerceptronModelParameters>.Write(BinaryWriter writer)
    {
        writer.Write(_layerSizes.Length);
        foreach (int size in _layerSizes)
            writer.Write(size);
        writer.Write((int)Activation);
        for (int l = 0; l < _weights.Length; l++)
        {
            foreach (float value in _weights[l])
                writer.Write(value);
            foreach (float value in _biases[l])
                writer.Write(value);
        }
        TrainingHistoryFormat.Write(writer, History);
    }

    static MultilayerPerceptronModelParameters IPersistedModel<MultilayerPerceptronModelParameters>.Read(ModelReader reader, uint version)
    {
        int layerCount = reader.ReadInt32("LayerCount", 2, MaximumLayerCount);
        var sizes = new int[layerCount];
        for (int l = 0; l < layerCount; l++)
            sizes[l] = reader.ReadInt32($"LayerSizes[{l}]", 1, int.MaxValue);
        var activation = reader.ReadEnum<ActivationFunction>("Activation");
        var weights = new float[layerCount - 1][];
        var biases = new float[layerCount - 1][];
        for (int l = 0; l < layerCount - 1; l++)
        {
            weights[l] = reader.ReadSingles($"Weights[{l}]", (long)sizes[l + 1] * sizes[l]);
            biases[l] = reader.ReadSingles($"Biases[{l}]", sizes[l + 1]);
        }
        var history = TrainingHistoryFormat.Read(reader, hasStopReason: version >= 0x00010002);
        return new MultilayerPerceptronModelParameters(sizes, activation, weights, biases, history);
    }
}
