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
/// <item><term>Normalisation needed</term><description>No: features are standardised internally (a warning suggests NormalizeMinMax when their scales differ by orders of magnitude)</description></item>
/// <item><term>Caching needed</term><description>No: the data is read once into memory</description></item>
/// <item><term>Package</term><description>Cs231n.MLNet</description></item>
/// </list>
/// Defaults: one hidden layer of 100 ReLU units (scikit-learn's default size), Adam with learning rate 0.001
/// (scikit-learn's; 0.01 for SGD and momentum), dropout 0.2 after every hidden layer, no L2 penalty. The features are
/// standardised internally and the scaling folded into the first layer. Batches of min(200, max(16, rows/10)); training
/// runs until the epoch loss stops improving by 1e-4 for 10 epochs (cutting the rate by 5 twice before it stops), at most
/// 2,000,000 examples' worth of epochs (about 33 on 60,000 rows, 1,000 on small data), annealing over the second half of
/// that cap. On full Fashion-MNIST (pixels/255) this reaches about 0.89 test accuracy, and about 0.90 with
/// <c>hiddenLayerSizes: [512, 256]</c>. Give <c>Fit</c> a validation set or set
/// <see cref="GradientTrainerOptions.ValidationFraction"/> to stop when validation accuracy stops improving and keep the
/// best epoch's weights.
/// </remarks>
public sealed class MultilayerPerceptronTrainer : Cs231nTrainerBase<MultilayerPerceptronModelParameters>
{
    /// <summary>Options of <see cref="MultilayerPerceptronTrainer"/>; see the trainer's remarks for why the defaults are what they are.</summary>
    public sealed class Options : GradientTrainerOptions
    {
        /// <summary>Creates the options with the trainer's defaults.</summary>
        public Options()
        {
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

    /// <summary>Examples visited at most by default: about 33 epochs of 60,000 rows, and up to 1,000 epochs of small data.</summary>
    internal const long ExampleBudget = 2_000_000;

    /// <summary>The learning rate when none is given: scikit-learn's 0.001 for the adaptive rules, 0.01 for (momentum) SGD.</summary>
    internal static double DefaultLearningRate(OptimizationAlgorithm algorithm)
        => algorithm is OptimizationAlgorithm.Adam or OptimizationAlgorithm.RmsProp ? 1e-3 : 1e-2;

    private readonly Options _options;

    internal MultilayerPerceptronTrainer(IHostEnvironment environment, Options options)
        : base(environment, options, nameof(MultilayerPerceptronTrainer), needsNormalization: true, supportsValidation: true)
    {
        _options = options;
    }

    private protected override MultilayerPerceptronModelParameters TrainModel(LabeledDataset<float> train, LabeledDataset<float>? validation, TrainingChannel channel)
    {
        int[] sizes = [train.FeatureCount, .. _options.HiddenLayerSizes, train.ClassCount];
        int seed = _options.Seed ?? channel.NextSeed();
        NeuralNetwork<float> CreateNetwork()
        {
            var network = MlpArchitecture.Build(sizes, _options.Activation, _options.DropoutRate, seed);
            network.Initialize(seed);
            return network;
        }
        channel.Info($"{Name}: layers {string.Join("-", sizes)}, {_options.Activation}, {_options.Optimizer}.");
        double rate = DefaultLearningRate(_options.Optimizer);
        var defaults = new TrainingDefaults(ExampleBudget, _ => rate, $"the default for {_options.Optimizer}", _ => 1.0, [0.0], 0);
        var (network, history) = NetworkTraining.Train(CreateNetwork, () => NetworkTraining.CreateOptimizer(_options.Optimizer), _options, seed, train, validation, channel, Name, defaults);
        var affine = network.Layers.OfType<AffineLayer<float>>().ToArray();
        return new MultilayerPerceptronModelParameters(sizes, _options.Activation,
            affine.Select(a => a.Weights.Value).ToArray(), affine.Select(a => a.Bias.Value).ToArray(), history);
    }
}
