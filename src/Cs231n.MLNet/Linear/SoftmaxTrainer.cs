using Microsoft.ML.Runtime;
using Cs231n.MLNet.Linear;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Training;

namespace Cs231n.MLNet;

/// <summary>
/// Softmax classifier (multinomial logistic regression, CS231n's second linear classifier): scores s = Wx + b,
/// trained by minibatch SGD with momentum on the cross-entropy of the softmax probabilities (computed stably, after
/// shifting by the largest score) plus ½·λ·‖W‖². <c>Score</c> holds the class probabilities.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Task</term><description>Multiclass classification</description></item>
/// <item><term>Normalisation needed</term><description>Features on a common scale, such as pixels/255 (the defaults assume [0, 1])</description></item>
/// <item><term>Caching needed</term><description>No: the data is read once into memory</description></item>
/// <item><term>Package</term><description>Cs231n.MLNet</description></item>
/// </list>
/// Defaults (chosen on full Fashion-MNIST with pixels/255, where they reach 0.8450–0.8457 test accuracy over 11
/// seeds): 10 epochs of batch 128, learning rate 0.1 with momentum 0.9, decayed ×0.8 per epoch; the model is the
/// average of the weights over the last 5 epochs (Polyak averaging), which lands nearer the optimum than the noisy
/// last iterate (about +0.001 to +0.002 accuracy); λ = 1e-4, a light penalty that keeps the weights bounded; weights
/// drawn with scale 0.001 as in CS231n. With a validation set the model keeps the weights of the epoch of best
/// validation accuracy (or the average, if it validates at least as well).
/// </remarks>
public sealed class SoftmaxTrainer : Cs231nTrainerBase<LinearClassifierModelParameters>
{
    /// <summary>Options of <see cref="SoftmaxTrainer"/>; see the trainer's remarks for why the defaults are what they are.</summary>
    public sealed class Options : LinearTrainerOptions
    {
        /// <summary>Creates the options with the trainer's defaults.</summary>
        public Options()
        {
            NumberOfEpochs = 10;
            BatchSize = 128;
            LearningRate = 0.1;
            LearningRateDecay = 0.8;
            L2Regularization = 1e-4;
            AveragedEpochs = 5;
        }
    }

    private readonly Options _options;

    internal SoftmaxTrainer(IHostEnvironment environment, Options options)
        : base(environment, options, nameof(SoftmaxTrainer), needsNormalization: true, supportsValidation: true)
    {
        _options = options;
    }

    private protected override LinearClassifierModelParameters TrainModel(TrainingSet train, TrainingSet? validation, TrainingChannel channel)
        => LinearClassifierTraining.Train(_options, LinearClassifierLoss.SoftmaxCrossEntropy, margin: 1.0, train, validation, channel, Name);
}
