using System.Globalization;

namespace Cs231n.MLNet;

/// <summary>
/// Training finished, but the model is no better on its own training data than always predicting the most frequent
/// class. It is raised instead of returning such a model, which would otherwise pass unnoticed into a pipeline.
/// </summary>
public sealed class ModelLearnedNothingException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="trainerName"/>.</summary>
    /// <param name="trainerName">The trainer.</param>
    /// <param name="trainAccuracy">The final model's accuracy on the training rows.</param>
    /// <param name="majorityShare">The share of the most frequent class in the training rows.</param>
    /// <param name="epochs">Epochs trained.</param>
    public ModelLearnedNothingException(string trainerName, double trainAccuracy, double majorityShare, int epochs)
        : base(string.Format(CultureInfo.InvariantCulture,
            "{0} learned nothing: after {1} epochs its training accuracy {2:F4} is no better than always predicting the most frequent class ({3:F4}). " +
            "Put the features on a common scale (mlContext.Transforms.NormalizeMinMax or NormalizeMeanVariance before the trainer), keep StandardizeFeatures on, " +
            "and check that the label column holds the classes you expect; a different learning rate (LearningRate) or more epochs (NumberOfEpochs) can also help.",
            trainerName, epochs, trainAccuracy, majorityShare))
    {
        TrainAccuracy = trainAccuracy;
        MajorityShare = majorityShare;
    }

    /// <summary>The final model's accuracy on the training rows.</summary>
    public double TrainAccuracy { get; }

    /// <summary>The share of the most frequent class in the training rows: the accuracy of predicting it always.</summary>
    public double MajorityShare { get; }
}
