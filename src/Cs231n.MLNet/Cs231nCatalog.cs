using Microsoft.ML;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet;

/// <summary>
/// The trainers of this package, on ML.NET's multiclass catalog:
/// <c>mlContext.MulticlassClassification.Trainers.KNearestNeighbors(...)</c> and so on.
/// </summary>
public static class Cs231nCatalog
{
    /// <summary>Creates a k-nearest-neighbours trainer.</summary>
    /// <example>A complete program, run on the bundled data: <c>samples/KNearestNeighbors/Program.cs</c> in the repository (fit, evaluate, predict, and <see cref="KNearestNeighborsModelParameters.FindNeighbors"/>).</example>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="labelColumnName">The label column; a key type (add <c>MapValueToKey</c> before the trainer).</param>
    /// <param name="featureColumnName">The feature column; a known-size vector of <see cref="float"/>.</param>
    /// <param name="numberOfNeighbors">k: how many nearest training rows vote.</param>
    /// <param name="distance">The distance between feature vectors.</param>
    /// <param name="weighting">How the neighbours' votes are weighted.</param>
    /// <param name="tieBreaking">Which class wins when several share the largest vote.</param>
    public static KNearestNeighborsTrainer KNearestNeighbors(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int numberOfNeighbors = 5,
        KnnDistance distance = KnnDistance.L2, KnnWeighting weighting = KnnWeighting.Uniform,
        KnnTieBreaking tieBreaking = KnnTieBreaking.NearestNeighbor)
        => catalog.KNearestNeighbors(new KNearestNeighborsTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NumberOfNeighbors = numberOfNeighbors,
            Distance = distance,
            Weighting = weighting,
            TieBreaking = tieBreaking,
        });

    /// <summary>Creates a k-nearest-neighbours trainer from options.</summary>
    /// <example>A complete program, run on the bundled data: <c>samples/KNearestNeighbors/Program.cs</c> in the repository (fit, evaluate, predict, and <see cref="KNearestNeighborsModelParameters.FindNeighbors"/>).</example>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="options">The trainer's options.</param>
    public static KNearestNeighborsTrainer KNearestNeighbors(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        KNearestNeighborsTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new KNearestNeighborsTrainer(MLNetEnvironment.From(catalog), options);
    }

    /// <summary>Creates a multiclass SVM trainer (Weston–Watkins hinge loss, minibatch SGD with momentum).</summary>
    /// <example>A complete program, run on the bundled data: <c>samples/MulticlassSvm/Program.cs</c> in the repository (the Options overload, the learned weights and the training history).</example>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="labelColumnName">The label column; a key type (add <c>MapValueToKey</c> before the trainer).</param>
    /// <param name="featureColumnName">The feature column; a known-size vector of <see cref="float"/> (standardised internally).</param>
    /// <param name="numberOfEpochs">The most passes over the training data (training stops earlier when it converges); null chooses it from the number of rows.</param>
    /// <param name="learningRate">The initial learning rate; null for the trainer's default, which does not depend on the features' scale.</param>
    /// <param name="l2Regularization">λ of the L2 penalty ½·λ·‖W‖²; null chooses it by cross-validation on small data.</param>
    /// <param name="batchSize">Examples per minibatch; null: min(200, max(16, rows / 10)).</param>
    public static MulticlassSvmTrainer MulticlassSvm(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int? numberOfEpochs = null, double? learningRate = null,
        double? l2Regularization = null, int? batchSize = null)
    {
        var options = Override(new MulticlassSvmTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName },
            numberOfEpochs, learningRate, l2Regularization, batchSize);
        return catalog.MulticlassSvm(options);
    }

    /// <summary>Creates a multiclass SVM trainer from options.</summary>
    /// <example>A complete program, run on the bundled data: <c>samples/MulticlassSvm/Program.cs</c> in the repository (the Options overload, the learned weights and the training history).</example>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="options">The trainer's options.</param>
    public static MulticlassSvmTrainer MulticlassSvm(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        MulticlassSvmTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MulticlassSvmTrainer(MLNetEnvironment.From(catalog), options);
    }

    /// <summary>Creates a softmax (multinomial logistic regression) trainer, minibatch SGD with momentum.</summary>
    /// <example>A complete program, run on the bundled data: <c>samples/Softmax/Program.cs</c> in the repository (class probabilities in <c>Score</c> and the training history).</example>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="labelColumnName">The label column; a key type (add <c>MapValueToKey</c> before the trainer).</param>
    /// <param name="featureColumnName">The feature column; a known-size vector of <see cref="float"/> (standardised internally).</param>
    /// <param name="numberOfEpochs">The most passes over the training data (training stops earlier when it converges); null chooses it from the number of rows.</param>
    /// <param name="learningRate">The initial learning rate; null for the trainer's default, which does not depend on the features' scale.</param>
    /// <param name="l2Regularization">λ of the L2 penalty ½·λ·‖W‖²; null chooses it by cross-validation on small data.</param>
    /// <param name="batchSize">Examples per minibatch; null: min(200, max(16, rows / 10)).</param>
    public static SoftmaxTrainer Softmax(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int? numberOfEpochs = null, double? learningRate = null,
        double? l2Regularization = null, int? batchSize = null)
    {
        var options = Override(new SoftmaxTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName },
            numberOfEpochs, learningRate, l2Regularization, batchSize);
        return catalog.Softmax(options);
    }

    /// <summary>Creates a softmax trainer from options.</summary>
    /// <example>A complete program, run on the bundled data: <c>samples/Softmax/Program.cs</c> in the repository (class probabilities in <c>Score</c> and the training history).</example>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="options">The trainer's options.</param>
    public static SoftmaxTrainer Softmax(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        SoftmaxTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SoftmaxTrainer(MLNetEnvironment.From(catalog), options);
    }

    /// <summary>Creates a multilayer perceptron trainer (fully connected network with softmax output, backpropagation).</summary>
    /// <example>A complete program, run on the bundled data: <c>samples/MultilayerPerceptron/Program.cs</c> in the repository (layers, Adam, dropout, a validation split, save and load).</example>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="labelColumnName">The label column; a key type (add <c>MapValueToKey</c> before the trainer).</param>
    /// <param name="featureColumnName">The feature column; a known-size vector of <see cref="float"/> (standardised internally).</param>
    /// <param name="hiddenLayerSizes">Units of each hidden layer, input side first; null for the default [100].</param>
    /// <param name="numberOfEpochs">The most passes over the training data (training stops earlier when it converges); null chooses it from the number of rows.</param>
    /// <param name="learningRate">The initial learning rate; null for the trainer's default, which does not depend on the features' scale.</param>
    /// <param name="batchSize">Examples per minibatch; null: min(200, max(16, rows / 10)).</param>
    /// <param name="dropoutRate">Probability of dropping each hidden unit in training.</param>
    public static MultilayerPerceptronTrainer MultilayerPerceptron(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayerSizes = null, int? numberOfEpochs = null,
        double? learningRate = null, int? batchSize = null, double? dropoutRate = null)
    {
        var options = Override(new MultilayerPerceptronTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName },
            numberOfEpochs, learningRate, l2Regularization: null, batchSize);
        options.HiddenLayerSizes = hiddenLayerSizes ?? options.HiddenLayerSizes;
        options.DropoutRate = dropoutRate ?? options.DropoutRate;
        return catalog.MultilayerPerceptron(options);
    }

    /// <summary>Creates a multilayer perceptron trainer from options.</summary>
    /// <example>A complete program, run on the bundled data: <c>samples/MultilayerPerceptron/Program.cs</c> in the repository (layers, Adam, dropout, a validation split, save and load).</example>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="options">The trainer's options.</param>
    public static MultilayerPerceptronTrainer MultilayerPerceptron(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        MultilayerPerceptronTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MultilayerPerceptronTrainer(MLNetEnvironment.From(catalog), options);
    }

    /// <summary>Creates a convolutional network trainer (conv → batch norm → ReLU → pool blocks, softmax output, backpropagation).</summary>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="labelColumnName">The label column; a key type (add <c>MapValueToKey</c> before the trainer).</param>
    /// <param name="featureColumnName">The feature column: one image per row as a known-size vector of <see cref="float"/> in channel-major order, on a common scale such as pixels/255.</param>
    /// <param name="imageShape">[channels, height, width]; needed only when the feature column declares no dimensions (ExtractPixels output does) and the images are not square grey or RGB.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="learningRate">The initial learning rate.</param>
    /// <param name="batchSize">Examples per minibatch.</param>
    public static ConvolutionalNetworkTrainer ConvolutionalNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? imageShape = null, int? numberOfEpochs = null,
        double? learningRate = null, int? batchSize = null)
    {
        var options = Override(new ConvolutionalNetworkTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName },
            numberOfEpochs, learningRate, l2Regularization: null, batchSize);
        options.ImageShape = imageShape;
        return catalog.ConvolutionalNetwork(options);
    }

    /// <summary>Creates a convolutional network trainer from options, whose <c>Layers</c> list describes the network.</summary>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="options">The trainer's options.</param>
    public static ConvolutionalNetworkTrainer ConvolutionalNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        ConvolutionalNetworkTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ConvolutionalNetworkTrainer(MLNetEnvironment.From(catalog), options);
    }

    /// <summary>Replaces the trainer's defaults with the arguments the caller gave (null keeps the default).</summary>
    private static TOptions Override<TOptions>(TOptions options, int? numberOfEpochs, double? learningRate, double? l2Regularization, int? batchSize)
        where TOptions : GradientTrainerOptions
    {
        options.NumberOfEpochs = numberOfEpochs ?? options.NumberOfEpochs;
        options.LearningRate = learningRate ?? options.LearningRate;
        options.L2Regularization = l2Regularization ?? options.L2Regularization;
        options.BatchSize = batchSize ?? options.BatchSize;
        return options;
    }
}
