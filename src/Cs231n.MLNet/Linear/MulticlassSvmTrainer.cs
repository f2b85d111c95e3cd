using Microsoft.ML.Runtime;
using Cs231n.MLNet.Linear;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Training;

namespace Cs231n.MLNet;

/// <summary>
/// Multiclass support vector machine (CS231n's linear SVM): scores s = Wx + b, trained by minibatch SGD with momentum
/// on the Weston–Watkins hinge loss Σ_{j≠y} max(0, s_j − s_y + Δ) plus ½·λ·‖W‖². <c>Score</c> holds the raw class scores.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Task</term><description>Multiclass classification</description></item>
/// <item><term>Normalisation needed</term><description>Features on a common scale, such as pixels/255 (the defaults assume [0, 1])</description></item>
/// <item><term>Caching needed</term><description>No: the data is read once into memory</description></item>
/// <item><term>Package</term><description>Cs231n.MLNet</description></item>
/// </list>
/// Defaults (chosen on full Fashion-MNIST with pixels/255, where they reach about 0.843 test accuracy): 10 epochs of
/// batch 128, learning rate 0.01 with momentum 0.9 (the hinge loss's gradients are larger than softmax's, so the rate
/// is lower), decayed ×0.85 per epoch; the model is the average of the weights over the last 3 epochs (Polyak
/// averaging); λ = 1e-4, a light penalty that scarcely changes accuracy but keeps the weights bounded; weights drawn
/// with scale 0.001 as in CS231n. With a validation set (<c>Fit(train, validation)</c> or
/// <see cref="Optimization.GradientTrainerOptions.ValidationFraction"/>) the model keeps the weights of the epoch of
/// best validation accuracy (or the average, if it validates at least as well).
/// </remarks>
public sealed class MulticlassSvmTrainer : Cs231nTrainerBase<LinearClassifierModelParameters>
{
    /// <summary>Options of <see cref="MulticlassSvmTrainer"/>; see the trainer's remarks for why the defaults are what they are.</summary>
    public sealed class Options : LinearTrainerOptions
    {
        /// <summary>Creates the options with the trainer's defaults.</summary>
        public Options()
        {
            NumberOfEpochs = 10;
            BatchSize = 128;
            LearningRate = 0.01;
            LearningRateDecay = 0.85;
            L2Regularization = 1e-4;
            AveragedEpochs = 3;
        }

        /// <summary>Δ, the margin by which the true class's score should beat every other (CS231n: 1).</summary>
        public double Margin = 1.0;

        internal override void Validate(string trainerName)
        {
            base.Validate(trainerName);
            if (!(Margin > 0 && double.IsFinite(Margin)))
                throw Invalid(nameof(Margin), Margin, "must be positive and finite", trainerName);
        }
    }

    private readonly Options _options;

    internal MulticlassSvmTrainer(IHostEnvironment environment, Options options)
        : base(environment, options, nameof(MulticlassSvmTrainer), needsNormalization: true, supportsValidation: true)
    {
        _options = options;
    }

    private protected override LinearClassifierModelParameters TrainModel(TrainingSet train, TrainingSet? validation, TrainingChannel channel)
        => LinearClassifierTraining.Train(_options, LinearClassifierLoss.MulticlassHinge, _options.Margin, train, validation, channel, Name);
}
