using System.Globalization;

namespace Cs231n.MLNet;

/// <summary>Summary of one finished epoch, reported to progress callbacks.</summary>
/// <param name="Epoch">The epoch just finished, counting from 1.</param>
/// <param name="NumberOfEpochs">The number of epochs requested.</param>
/// <param name="Loss">Mean training objective (data loss + L2 term) over the epoch's minibatches.</param>
/// <param name="TrainAccuracy">Accuracy on the fixed training subsample after the epoch.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch, or null without validation data.</param>
/// <param name="LearningRate">The learning rate used in the epoch (the mean of its updates' rates, which the cosine annealing lowers).</param>
/// <param name="Elapsed">Time since training started.</param>
public sealed record TrainingProgress(int Epoch, int NumberOfEpochs, double Loss, double TrainAccuracy,
    double? ValidationAccuracy, double LearningRate, TimeSpan Elapsed)
{
    /// <summary>A one-line description, as written to the log.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        string validation = ValidationAccuracy is { } v ? string.Format(c, ", validation accuracy {0:F4}", v) : "";
        return string.Format(c, "Epoch {0}/{1}: loss {2:F4}, train accuracy {3:F4}{4}, learning rate {5:G4} ({6:F1} s)",
            Epoch, NumberOfEpochs, Loss, TrainAccuracy, validation, LearningRate, Elapsed.TotalSeconds);
    }
}
