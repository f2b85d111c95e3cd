using Microsoft.ML.Runtime;
using Cs231n.MLNet.ConvolutionalNetworks;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Optimization;
using Cs231n.MLNet.Training;

namespace Cs231n.MLNet;

/// <summary>
/// Convolutional neural network (CS231n's ConvNet): the layers of <see cref="Options.Layers"/> — convolutions,
/// max pooling, batch normalisation, activations, dropout, fully connected layers — then a fully connected layer to
/// the class scores and a softmax cross-entropy loss, trained by minibatch gradient descent with backpropagation.
/// <c>Score</c> holds the softmax probabilities.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Task</term><description>Multiclass classification of images</description></item>
/// <item><term>Input</term><description>A float vector per image in channel-major order (C×H×W), such as <c>ExtractPixels</c> output or our IDX and CIFAR-10 loaders; pixels on a common scale such as [0, 1]</description></item>
/// <item><term>Caching needed</term><description>No: the data is read once into memory</description></item>
/// <item><term>Package</term><description>Cs231n.MLNet</description></item>
/// </list>
/// <para>
/// The image shape comes from <see cref="Options.ImageShape"/>, else from the feature column's dimensions
/// (<c>ExtractPixels</c> declares channels, height and width; keep its default <c>interleavePixelColors: false</c>),
/// else from the length: a square grey image (784 → 1×28×28) or a square RGB image (3,072 → 3×32×32).
/// </para>
/// <para>
/// Defaults (chosen on full Fashion-MNIST with pixels/255, for accuracy within a few minutes on two cores):
/// two blocks of [3×3 convolution → batch norm → ReLU → 2×2 max pooling] with 32 and 64 filters, a fully connected
/// layer of 128 units with batch norm, ReLU and dropout 0.3; Adam at 0.002 with the rate annealed to zero by a cosine
/// over all updates; batch 128; 8 epochs. Stride-1 convolutions run as direct SIMD convolutions on zero-padded
/// images (other strides as im2col products on the package's GEMM), on all cores, with results independent of the
/// thread count.
/// </para>
/// </remarks>
public sealed class ConvolutionalNetworkTrainer : Cs231nTrainerBase<ConvolutionalNetworkModelParameters>
{
    /// <summary>Options of <see cref="ConvolutionalNetworkTrainer"/>; see the trainer's remarks for the defaults.</summary>
    public sealed class Options : GradientTrainerOptions
    {
        /// <summary>Creates the options with the trainer's defaults.</summary>
        public Options()
        {
            NumberOfEpochs = DefaultEpochs;
            BatchSize = 128;
            LearningRate = DefaultLearningRate;
            LearningRateDecay = 1.0;
            L2Regularization = 0;
        }

        /// <summary>
        /// Channels, height and width of each image; null takes them from the feature column's dimensions or, failing
        /// that, assumes a square grey or RGB image.
        /// </summary>
        public int[]? ImageShape;

        /// <summary>The hidden layers, input side first; the classifier is added after them. Null for the default network.</summary>
        public IReadOnlyList<ConvNetLayer>? Layers;

        /// <summary>The update rule.</summary>
        public OptimizationAlgorithm Optimizer = OptimizationAlgorithm.Adam;

        /// <summary>Whether the learning rate falls to zero along a cosine over all planned updates (on top of <see cref="GradientTrainerOptions.LearningRateDecay"/>).</summary>
        public bool CosineAnnealing = true;

        /// <summary>Augmentation: shift each training image by up to this many pixels in each direction (0 for none).</summary>
        public int RandomShift;

        /// <summary>Augmentation: mirror half of the training images left to right (for natural images, not for digits or text).</summary>
        public bool HorizontalFlip;

        /// <summary>The cosine runs over all the updates the solver is allowed, whether the epochs are given or automatic.</summary>
        internal override double SolverAnnealingFraction => CosineAnnealing ? 1 : base.SolverAnnealingFraction;

        // A convolutional network's forward pass costs about a third of a training step per image, so an accuracy check
        // on 10,000 rows adds about 6 % to an epoch of full Fashion-MNIST, and more on fewer rows. 2,000 rows (CS231n's
        // Solver uses 1,000) estimate it to about ±1 %; the CNN's stopping rules do not read it.
        internal override int SolverTrainAccuracySampleSize => 2_000;

        internal override void Validate(string trainerName)
        {
            base.Validate(trainerName);
            if (ImageShape is not null && (ImageShape.Length != 3 || ImageShape.Any(d => d < 1)))
                throw new ArgumentOutOfRangeException(nameof(ImageShape), $"The '{nameof(ImageShape)}' option of {trainerName} must hold three positive numbers [channels, height, width], such as [1, 28, 28]; got [{string.Join(", ", ImageShape)}].");
            if (Layers is not null)
            {
                for (int i = 0; i < Layers.Count; i++)
                {
                    if (Layers[i] is null)
                        throw new ArgumentNullException(nameof(Layers), $"The '{nameof(Layers)}' option of {trainerName} has a null entry at index {i}.");
                    Layers[i].Validate(i);
                }
            }
            if (!Enum.IsDefined(Optimizer))
                throw Invalid(nameof(Optimizer), Optimizer, "must be Sgd, Momentum, Nesterov, RmsProp or Adam", trainerName);
            if (RandomShift < 0)
                throw Invalid(nameof(RandomShift), RandomShift, "must be non-negative (0 disables shifts)", trainerName);
        }
    }

    /// <summary>The default number of epochs: 8 (see the remarks for the time and accuracy this buys).</summary>
    internal const int DefaultEpochs = 8;

    /// <summary>The default learning rate of Adam with cosine annealing.</summary>
    internal const double DefaultLearningRate = 2e-3;

    private readonly Options _options;

    internal ConvolutionalNetworkTrainer(IHostEnvironment environment, Options options)
        : base(environment, options, nameof(ConvolutionalNetworkTrainer), needsNormalization: true, supportsValidation: true)
    {
        _options = options;
    }

    private protected override ConvolutionalNetworkModelParameters TrainModel(LabeledDataset<float> train, LabeledDataset<float>? validation, TrainingChannel channel)
    {
        var shape = ResolveImageShape(train, channel);
        var layers = (_options.Layers ?? ConvNetArchitecture.DefaultLayers()).ToArray();
        if (_options.RandomShift >= Math.Min(shape.Height, shape.Width))
            throw new ArgumentOutOfRangeException(nameof(Options.RandomShift), _options.RandomShift,
                $"The '{nameof(Options.RandomShift)}' option of {Name} must be smaller than the {shape} images' sides; got {_options.RandomShift}.");
        int seed = _options.Seed ?? channel.NextSeed();
        var network = ConvNetArchitecture.Build(shape, layers, train.ClassCount, seed, _options.RandomShift, _options.HorizontalFlip);
        network.Initialize(seed);
        channel.Info($"{Name}: {shape} images, {layers.Length} layers plus the classifier, {_options.Optimizer}, {network.Parameters.Sum(p => (long)p.Value.Length)} parameters.");
        var optimizer = NetworkTraining.CreateOptimizer(_options.Optimizer);
        // The first layer is a convolution, so there is no internal standardisation (images are on one scale anyway),
        // and λ stays at its default of 0: no cross-validation.
        var defaults = new TrainingDefaults((long)DefaultEpochs * train.Count, _ => DefaultLearningRate, "the convolutional network's default",
            _ => 1.0, [0.0], 0);
        var (_, history) = NetworkTraining.Train(() => network, () => optimizer, _options, seed, train, validation, channel, Name, defaults);
        return new ConvolutionalNetworkModelParameters(shape, layers, train.ClassCount, network, history);
    }

    private ImageShape ResolveImageShape(LabeledDataset<float> train, TrainingChannel channel)
    {
        string column = _options.FeatureColumnName;
        if (_options.ImageShape is { } given)
        {
            var shape = new ImageShape(given[0], given[1], given[2]);
            if ((long)given[0] * given[1] * given[2] != train.FeatureCount)
                throw new ArgumentOutOfRangeException(nameof(Options.ImageShape),
                    $"The image shape [{string.Join(", ", given)}] holds {(long)given[0] * given[1] * given[2]} values but feature column '{column}' has {train.FeatureCount} per row; pass the shape of the images in '{column}'.");
            return shape;
        }
        if (train.FeatureDimensions is [int c, int h, int w] && c * h * w == train.FeatureCount)
            return new ImageShape(c, h, w);
        foreach (int channels in new[] { 1, 3 })
        {
            int side = (int)Math.Round(Math.Sqrt(train.FeatureCount / (double)channels));
            if (channels * side * side == train.FeatureCount)
            {
                channel.Info($"{Name}: feature column '{column}' declares no image dimensions; treating its {train.FeatureCount} values as {channels}×{side}×{side} images.");
                return new ImageShape(channels, side, side);
            }
        }
        throw new ArgumentOutOfRangeException(column,
            $"Feature column '{column}' has {train.FeatureCount} values per row and declares no image dimensions, and {train.FeatureCount} is not a square grey or RGB image; pass imageShape: [channels, height, width].");
    }
}
