using Microsoft.ML.Runtime;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Mlp;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Optimization;
using Cs231n.MLNet.Training;

namespace Cs231n.MLNet;

/// <summary>
/// Multilayer perceptron (CS231n's fully connected network): [affine → activation → dropout] for every hidden layer,
/// then an affine layer to the class scores and a softmax cross-entropy loss, trained by minibatch gradient descent
/// with backpropagation. <c>Score</c> holds the softmax probabilities.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Task</term><description>Multiclass classification</description></item>
/// <item><term>Normalisation needed</term><description>Features on a common scale, such as pixels/255 (the defaults assume [0, 1])</description></item>
/// <item><term>Caching needed</term><description>No: the data is read once into memory</description></item>
/// <item><term>Package</term><description>Cs231n.MLNet</description></item>
/// </list>
/// Defaults (chosen on Fashion-MNIST with pixels/255): one hidden layer of 100 ReLU units (scikit-learn's default
/// size), Adam with learning rate 0.001 decayed ×0.95 per epoch, batch 128, 20 epochs, dropout 0.2 after every hidden
/// layer as the regulariser (L2 off). No validation data is held out by default; give <c>Fit</c> a validation set or
/// set <see cref="GradientTrainerOptions.ValidationFraction"/> to record validation accuracy, keep the best epoch's
/// weights and, with <see cref="GradientTrainerOptions.EarlyStoppingPatience"/>, stop early.
/// </remarks>
public sealed class MultilayerPerceptronTrainer : Cs231nTrainerBase<MultilayerPerceptronModelParameters>
{
    /// <summary>Options of <see cref="MultilayerPerceptronTrainer"/>; see the trainer's remarks for why the defaults are what they are.</summary>
    public sealed class Options : GradientTrainerOptions
    {
        /// <summary>Creates the options with the trainer's defaults.</summary>
        public Options()
        {
            NumberOfEpochs = 20;
            BatchSize = 128;
            LearningRate = 1e-3;
            LearningRateDecay = 0.95;
            L2Regularization = 0;
        }

        /// <summary>Units of each hidden layer, input side first (at least one layer). Default [100].</summary>
        public int[] HiddenLayerSizes = [100];

        /// <summary>The nonlinearity after every hidden layer; also decides the weight initialisation (He or Xavier).</summary>
        public ActivationFunction Activation = ActivationFunction.Relu;

        /// <summary>The update rule.</summary>
        public OptimizationAlgorithm Optimizer = OptimizationAlgorithm.Adam;

        /// <summary>Probability of dropping each hidden unit in training (inverted dropout), in [0, 1); 0 disables dropout.</summary>
        public double DropoutRate = 0.2;

        internal override void Validate(string trainerName)
        {
            base.Validate(trainerName);
            if (HiddenLayerSizes is null || HiddenLayerSizes.Length == 0)
                throw new ArgumentException($"The '{nameof(HiddenLayerSizes)}' option of {trainerName} must list at least one hidden layer size, such as [100]; got {(HiddenLayerSizes is null ? "null" : "an empty array")}. For no hidden layer use the Softmax trainer.", nameof(HiddenLayerSizes));
            for (int i = 0; i < HiddenLayerSizes.Length; i++)
            {
                if (HiddenLayerSizes[i] < 1)
                    throw new ArgumentOutOfRangeException(nameof(HiddenLayerSizes), HiddenLayerSizes[i],
                        $"The '{nameof(HiddenLayerSizes)}' option of {trainerName} must hold positive sizes; element {i} is {HiddenLayerSizes[i]}.");
            }
            if (!Enum.IsDefined(Activation))
                throw Invalid(nameof(Activation), Activation, "must be Relu, LeakyRelu, Tanh or Sigmoid", trainerName);
            if (!Enum.IsDefined(Optimizer))
                throw Invalid(nameof(Optimizer), Optimizer, "must be Sgd, Momentum, Nesterov, RmsProp or Adam", trainerName);
            if (!(DropoutRate >= 0 && DropoutRate < 1))
                throw Invalid(nameof(DropoutRate), DropoutRate, "must be in [0, 1) (0 disables dropout)", trainerName);
        }
    }

    private readonly Options _options;

    internal MultilayerPerceptronTrainer(IHostEnvironment environment, Options options)
        : base(environment, options, nameof(MultilayerPerceptronTrainer), needsNormalization: true, supportsValidation: true)
    {
        _options = options;
    }

    private protected override MultilayerPerceptronModelParameters TrainModel(TrainingSet train, TrainingSet? validation, TrainingChannel channel)
    {
        int[] sizes = [train.FeatureCount, .. _options.HiddenLayerSizes, train.ClassCount];
        int seed = _options.Seed ?? channel.NextSeed();
        var network = MlpArchitecture.Build(sizes, _options.Activation, _options.DropoutRate, seed);
        network.Initialize(seed);
        channel.Info($"{Name}: layers {string.Join("-", sizes)}, {_options.Activation}, {_options.Optimizer}, {network.Parameters.Sum(p => (long)p.Value.Length)} parameters.");
        var history = NetworkTraining.Train(network, NetworkTraining.CreateOptimizer(_options.Optimizer), _options, seed, train, validation, channel, Name);
        var affine = network.Layers.OfType<AffineLayer<float>>().ToArray();
        return new MultilayerPerceptronModelParameters(sizes, _options.Activation,
            affine.Select(a => a.Weights.Value).ToArray(), affine.Select(a => a.Bias.Value).ToArray(), history);
    }
}
