using Microsoft.ML;
using Cs231n.MLNet.MLNetInternals;

namespace Cs231n.MLNet;

/// <summary>Stopping a long <c>Fit</c> of this package's trainers from another thread.</summary>
public static class TrainingCancellation
{
    /// <summary>
    /// Cancels every training run of this package's trainers on <paramref name="mlContext"/>: they stop between
    /// minibatches (kNN: between blocks of rows read) with <see cref="OperationCanceledException"/>. This is ML.NET's own
    /// cancellation of the context, so it is permanent: create a new <see cref="MLContext"/> to train again.
    /// </summary>
    /// <param name="mlContext">The context whose training runs to stop.</param>
    public static void CancelTraining(this MLContext mlContext) => MLNetEnvironment.Cancel(mlContext);

    /// <summary>Cancels training on <paramref name="mlContext"/> when <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="mlContext">The context whose training runs to stop.</param>
    /// <param name="cancellationToken">The token to follow.</param>
    /// <returns>A registration to dispose when training is over.</returns>
    public static CancellationTokenRegistration CancelTrainingOn(this MLContext mlContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return cancellationToken.Register(() => MLNetEnvironment.Cancel(mlContext));
    }
}
