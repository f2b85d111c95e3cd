using Microsoft.ML.Runtime;
using Cs231n.MLNet.Linear;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Training;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet;

/// <summary>
/// Softmax classifier (multinomial logistic regression, CS231n's second linear classifier): scores s = Wx + b,
/// trained by minibatch SGD with momentum on the cross-entropy of the softmax probabilities (computed stably, after
/// shifting by the largest score) plus ½·λ·‖W‖². <c>Score</c> holds the class probabilities.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Task</term><description>Multiclass classification</description></item>
/// <item><term>Normalisation needed</term><description>No: features are standardised internally (a warning suggests NormalizeMinMax when their scales differ by orders of magnitude)</description></item>
/// <item><term>Caching needed</term><description>No: the data is read once into memory</description></item>
/// <item><term>Package</term><description>Cs231n.MLNet</description></item>
/// </list>
/// Defaults, chosen to work on data nobody tuned them on (see <see cref="GradientTrainerOptions"/>): the
/// features are standardised internally and the scaling folded back into W, so the model scores the original features;
/// the learning rate is 1/λ_max of the standardised data's second moment, with momentum 0.9, so it means the same for
/// pixels/255, min–max and raw columns; batches of min(200, max(16, rows/10)); training runs until the epoch loss stops
/// improving by 1e-4 for 10 epochs, cutting the rate by 5 twice before stopping, at most 600,000 examples' worth of epochs
/// (10 on 60,000 rows, 1,000 on small data), annealing over the second half of that cap; the model is the polynomial-decay
/// average of the last phase's weights when it fits at least as well. λ of the L2 penalty is chosen by 3-fold
/// cross-validation among 0.1, 1, 10 and 100 over the number of rows on data of up to 500,000 values, and is 1/rows above. On full
/// Fashion-MNIST (pixels/255) this reaches 0.845–0.846 test accuracy. With a validation set the model keeps the weights
/// of the epoch of best validation accuracy (or the average, if it validates at least as well).
/// </remarks>
public sealed class SoftmaxTrainer : Cs231nTrainerBase<LinearClassifierModelParameters>
{
    /// <summary>Options of <see cref="SoftmaxTrainer"/>; see the trainer's remarks for why the defaults are what they are.</summary>
    public sealed class Options : LinearTrainerOptions
    {
        /// <summary>Creates the options with the trainer's defaults.</summary>
        public Options()
        {
            AverageWeights = true;
        }
    }

    private readonly Options _options;

    internal SoftmaxTrainer(IHostEnvironment environment, Options options)
        : base(environment, options, nameof(SoftmaxTrainer), needsNormalization: true, supportsValidation: true)
    {
        _options = options;
    }

    private protected override LinearClassifierModelParameters TrainModel(LabeledDataset<float> train, LabeledDataset<float>? validation, TrainingChannel channel)
        => LinearClassifierTraining.Train(_options, LinearClassifierLoss.SoftmaxCrossEntropy, margin: 1.0, RelativeStep, train, validation, channel, Name);

    /// <summary>The automatic learning rate is this over λ_max of the data (see the remarks).</summary>
    internal const double RelativeStep = 1.0;
}
