using Microsoft.ML;

namespace Cs231n.MLNet;

/// <summary>
/// The learned state of one of this package's multiclass classifiers. Immutable after training, so one model may score
/// from many threads at once.
/// </summary>
public abstract class Cs231nModelParameters : ICanSaveModel
{
    private protected Cs231nModelParameters(int classCount, int featureCount)
    {
        if (classCount < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A classifier needs at least one class.");
        if (featureCount < 1)
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "A classifier needs at least one feature.");
        ClassCount = classCount;
        FeatureCount = featureCount;
    }

    /// <summary>Number of classes: the size of the label's key type at training time, and of the <c>Score</c> vector.</summary>
    public int ClassCount { get; }

    /// <summary>Length of the feature vector the model was trained on and expects at prediction time.</summary>
    public int FeatureCount { get; }

    /// <summary>
    /// Scores <paramref name="rowCount"/> rows of finite features (row-major, <see cref="FeatureCount"/> per row) into
    /// <paramref name="scores"/> (row-major, <see cref="ClassCount"/> per row). Must be safe to call concurrently.
    /// </summary>
    internal abstract void Score(ReadOnlySpan<float> features, int rowCount, Span<float> scores);

    void ICanSaveModel.Save(ModelSaveContext ctx) => Save(ctx);

    private protected abstract void Save(ModelSaveContext context);
}
