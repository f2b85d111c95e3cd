using Microsoft.ML.Runtime;
using Cs231n.MLNet.Linear;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Training;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet;

/// <summary>
/// Multiclass support vector machine (CS231n's linear SVM): scores s = Wx + b, trained by minibatch SGD with momentum
/// on the Weston–Watkins hinge loss Σ_{j≠y} max(0, s_j − s_y + Δ) plus ½·λ·‖W‖². <c>Score</c> holds the raw class scores.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Task</term><description>Multiclass classification</description></item>
/// <item><term>Normalisation needed</term><description>No: features are standardised internally (a warning suggests NormalizeMinMax when their scales differ by orders of magnitude)</description></item>
/// <item><term>Caching needed</term><description>No: the data is read once into memory</description></item>
/// <item><term>Package</term><description>Cs231n.MLNet</description></item>
/// </list>
/// Defaults: as <see cref="SoftmaxTrainer"/>'s (internal standardisation, convergence-driven stopping, automatic batch
/// size and epoch cap, cross-validated λ, weight averaging) and the same learning rate of 1/λ_max: the hinge loss's
/// subgradients do not shrink near the optimum, so the plateau cuts of the rate and the weight averaging do the
/// settling. On full Fashion-MNIST (pixels/255) this reaches about 0.84 test accuracy. With a validation set (<c>Fit(train, validation)</c> or
/// <see cref="GradientTrainerOptions.ValidationFraction"/>) the model keeps the weights of the epoch of
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
            AverageWeights = true;
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

    private protected override LinearClassifierModelParameters TrainModel(LabeledDataset<float> train, LabeledDataset<float>? validation, TrainingChannel channel)
        => LinearClassifierTraining.Train(_options, LinearClassifierLoss.MulticlassHinge, _options.Margin, RelativeStep, train, validation, channel, Name);

    /// <summary>The automatic learning rate is this over λ_max of the data (see the remarks).</summary>
    internal const double RelativeStep = 1.0;
}
