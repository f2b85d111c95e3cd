using Microsoft.ML;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.MLNetInternals;
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
    {
        int c = ClassCount, d = FeatureCount;
        for (int r = 0; r < rowCount; r++)
            _bias.CopyTo(scores.Slice(r * c, c));
        Gemm.Multiply(MatrixTranspose.None, MatrixTranspose.Transpose, rowCount, c, d,
            1f, features, d, _weights, d, 1f, scores, c);
        if (Loss == LinearClassifierLoss.SoftmaxCrossEntropy)
        {
            for (int r = 0; r < rowCount; r++)
                SoftmaxCrossEntropyLoss<float>.Probabilities(scores.Slice(r * c, c), scores.Slice(r * c, c));
        }
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
