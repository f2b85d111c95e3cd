using Microsoft.ML;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Mlp;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Numerics;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet;

/// <summary>
/// A fitted linear classifier (multiclass SVM or softmax): class scores s = Wx + b with W of ClassCount×FeatureCount.
/// <c>Score</c> holds the raw scores for the SVM and the softmax probabilities for softmax; the predicted label is
/// the class with the largest score.
/// </summary>
public sealed class LinearClassifierModelParameters : Cs231nModelParameters, IPersistedModel<LinearClassifierModelParameters>
{
    private readonly float[] _weights;
    private volatile PackedMlpScorer? _scorer;
    private readonly float[] _bias;

    internal LinearClassifierModelParameters(float[] weights, float[] bias, int classCount, int featureCount, LinearClassifierLoss loss, TrainingHistory history)
        : base(classCount, featureCount)
    {
        if (weights.Length != (long)classCount * featureCount)
            throw new ArgumentException($"{classCount}×{featureCount} weights expected; got {weights.Length}.", nameof(weights));
        if (bias.Length != classCount)
            throw new ArgumentException($"{classCount} biases expected; got {bias.Length}.", nameof(bias));
        _weights = weights;
        _bias = bias;
        Loss = loss;
        History = history;
    }

    /// <summary>W, row-major ClassCount×FeatureCount: row c holds the weights of class c (its "template").</summary>
    public ReadOnlyMemory<float> Weights => _weights;

    /// <summary>b, one value per class.</summary>
    public ReadOnlyMemory<float> Bias => _bias;

    /// <summary>The weights of class <paramref name="classIndex"/> (0-based: the label key minus one).</summary>
    public ReadOnlySpan<float> GetClassWeights(int classIndex)
    {
        if ((uint)classIndex >= (uint)ClassCount)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"The class index must be in [0, {ClassCount}).");
        return _weights.AsSpan(classIndex * FeatureCount, FeatureCount);
    }

    /// <summary>The loss trained with: it decides whether <c>Score</c> holds raw scores or probabilities.</summary>
    public LinearClassifierLoss Loss { get; }

    /// <summary>Loss per minibatch and accuracy per epoch, as recorded during training.</summary>
    public TrainingHistory History { get; }

    internal override void Score(ReadOnlySpan<float> features, int rowCount, Span<float> scores)
        => Scorer().Score(features, rowCount, scores);

    /// <summary>
    /// W packed once for the current GEMM kernel (a race only packs it twice); one row and a block of rows then take
    /// the same arithmetic, so PredictionEngine and Transform agree bit for bit.
    /// </summary>
    private PackedMlpScorer Scorer()
    {
        SimdInstructionSet kernel = NumericsSettings.InstructionSet;
        PackedMlpScorer? scorer = _scorer;
        if (scorer is null || scorer.Kernel != kernel)
        {
            _scorer = scorer = new PackedMlpScorer([FeatureCount, ClassCount], [_weights], [_bias], ActivationFunction.Relu, kernel,
                softmax: Loss == LinearClassifierLoss.SoftmaxCrossEntropy);
        }
        return scorer;
    }

    static ModelFormat IPersistedModel<LinearClassifierModelParameters>.Format => Format;

    private static readonly ModelFormat Format = new("CS231LIN", "Cs231nLinearModel", Version: 0x00010002, OldestReadableVersion: 0x00010001);

    private protected override void Save(ModelSaveContext context) => ModelPersistence.Save(context, this);

    void IPersistedModel<LinearClassifierModelParameters>.Write(BinaryWriter writer)
    {
        writer.Write(ClassCount);
        writer.Write(FeatureCount);
        writer.Write((int)Loss);
        foreach (float value in _weights)
            writer.Write(value);
        foreach (float value in _bias)
            writer.Write(value);
        TrainingHistoryFormat.Write(writer, History);
    }

    static LinearClassifierModelParameters IPersistedModel<LinearClassifierModelParameters>.Read(ModelReader reader, uint version)
    {
        int classCount = reader.ReadInt32("ClassCount", 1, int.MaxValue);
        int featureCount = reader.ReadInt32("FeatureCount", 1, int.MaxValue);
        var loss = reader.ReadEnum<LinearClassifierLoss>("Loss");
        float[] weights = reader.ReadSingles("Weights", (long)classCount * featureCount);
        float[] bias = reader.ReadSingles("Bias", classCount);
        var history = TrainingHistoryFormat.Read(reader, hasStopReason: version >= 0x00010002);
        return new LinearClassifierModelParameters(weights, bias, classCount, featureCount, loss, history);
    }
}
