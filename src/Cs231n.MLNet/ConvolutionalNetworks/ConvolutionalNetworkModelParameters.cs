using System.Collections.Concurrent;
using Microsoft.ML;
using Cs231n.MLNet.ConvolutionalNetworks;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet;

/// <summary>
/// A fitted convolutional network: the image shape, the layer list (the classifier is added after it), every learned
/// array (weights, biases, batch-norm scales and shifts) and the batch-norm running statistics used at prediction.
/// Training with validation data keeps the best epoch's running statistics together with its weights.
/// <c>Score</c> holds the softmax probabilities. Dropout and augmentation act in training only.
/// </summary>
public sealed class ConvolutionalNetworkModelParameters : Cs231nModelParameters, IPersistedModel<ConvolutionalNetworkModelParameters>
{
    private const int MaximumLayerCount = 1000;

    private readonly ConvNetLayer[] _layers;
    private readonly float[][] _values;
    private readonly ConvNetParameter[] _parameters;
    // Scoring networks are built on demand and reused; each is used by one thread at a time, so the model stays safe
    // to score from many threads while a steady stream of batches allocates nothing.
    private readonly ConcurrentBag<NeuralNetwork<float>> _scoringNetworks = [];

    internal ConvolutionalNetworkModelParameters(ImageShape inputShape, ConvNetLayer[] layers, int classCount, NeuralNetwork<float> network, TrainingHistory history)
        : this(inputShape, layers, classCount, network.Parameters.Select(p => (float[])p.Value.Clone()).ToArray(), history)
    {
    }

    private ConvolutionalNetworkModelParameters(ImageShape inputShape, ConvNetLayer[] layers, int classCount, float[][] values, TrainingHistory history)
        : base(classCount, inputShape.Size)
    {
        InputShape = inputShape;
        _layers = layers;
        _values = values;
        History = history;
        var network = CreateNetwork();
        if (network.Parameters.Count != values.Length || network.Parameters.Where((p, i) => p.Value.Length != values[i].Length).Any())
            throw new ArgumentException($"The {values.Length} learned arrays do not match the {network.Parameters.Count} of the layer list.");
        _parameters = DescribeParameters(network);
        Load(network);
        _scoringNetworks.Add(network);
    }

    /// <summary>C×H×W of the images the model was trained on.</summary>
    public ImageShape InputShape { get; }

    /// <summary>The hidden layers, input side first; a fully connected classifier to <see cref="Cs231nModelParameters.ClassCount"/> scores follows them.</summary>
    public IReadOnlyList<ConvNetLayer> Layers => _layers;

    /// <summary>Every learned array, layer by layer, with its layer and name; batch-norm layers add their running statistics.</summary>
    public IReadOnlyList<ConvNetParameter> Parameters => _parameters;

    /// <summary>Loss per minibatch and accuracy per epoch, as recorded during training.</summary>
    public TrainingHistory History { get; }

    /// <summary>
    /// The first convolution's filters as images: the weights (filters × C·K·K, each row a C×K×K image) and that
    /// shape; null when the network has no convolution.
    /// </summary>
    public (ReadOnlyMemory<float> Weights, int Filters, ImageShape FilterShape)? FirstLayerFilters
    {
        get
        {
            var first = _parameters.FirstOrDefault(p => p.Layer == "Convolution 1" && p.Name == "W");
            if (first is null)
                return null;
            var conv = (Convolution)_layers.First(l => l is Convolution);
            return (first.Values, first.Rows, new ImageShape(first.Columns / (conv.KernelSize * conv.KernelSize), conv.KernelSize, conv.KernelSize));
        }
    }

    internal override void Score(ReadOnlySpan<float> features, int rowCount, Span<float> scores)
    {
        if (!_scoringNetworks.TryTake(out var network))
        {
            network = CreateNetwork();
            Load(network);
        }
        try
        {
            var input = new Matrix<float>(features.ToArray(), rowCount, FeatureCount);
            var output = network.Scores(input, training: false);
            int c = ClassCount;
            for (int r = 0; r < rowCount; r++)
                SoftmaxCrossEntropyLoss<float>.Probabilities(output.Row(r), scores.Slice(r * c, c));
        }
        finally
        {
            _scoringNetworks.Add(network);
        }
    }

    private NeuralNetwork<float> CreateNetwork() => ConvNetArchitecture.Build(InputShape, _layers, ClassCount, seed: 0);

    private void Load(NeuralNetwork<float> network)
    {
        for (int p = 0; p < _values.Length; p++)
            _values[p].CopyTo(network.Parameters[p].Value, 0);
        foreach (var convolution in network.Layers.OfType<Conv2dLayer<float>>())
            convolution.FreezeWeights();
    }

    private ConvNetParameter[] DescribeParameters(NeuralNetwork<float> network)
    {
        var result = new List<ConvNetParameter>();
        var counts = new Dictionary<string, int>();
        int p = 0;
        var lastAffine = network.Layers.OfType<AffineLayer<float>>().Last();
        foreach (var layer in network.Layers)
        {
            if (layer.Parameters.Count == 0)
                continue;
            string kind = layer switch
            {
                Conv2dLayer<float> => "Convolution",
                BatchNormalizationLayer<float> => "BatchNormalization",
                _ when ReferenceEquals(layer, lastAffine) => "Classifier",
                _ => "FullyConnected",
            };
            int number = counts[kind] = counts.GetValueOrDefault(kind) + 1;
            string name = kind == "Classifier" ? kind : $"{kind} {number}";
            foreach (var parameter in layer.Parameters)
            {
                result.Add(new ConvNetParameter(name, parameter.Name, parameter.Rows, parameter.Columns, _values[p]));
                p++;
            }
        }
        return result.ToArray();
    }

    static ModelFormat IPersistedModel<ConvolutionalNetworkModelParameters>.Format => Format;

    private static readonly ModelFormat Format = new("CS231CNN", "Cs231nCnnModel", Version: 0x00010001, OldestReadableVersion: 0x00010001);

    private protected override void Save(ModelSaveContext context) => ModelPersistence.Save(context, this);

    void IPersistedModel<ConvolutionalNetworkModelParameters>.Write(BinaryWriter writer)
    {
        writer.Write(InputShape.Channels);
        writer.Write(InputShape.Height);
        writer.Write(InputShape.Width);
        writer.Write(ClassCount);
        writer.Write(_layers.Length);
        foreach (var layer in _layers)
            ConvNetLayerFormat.Write(writer, layer);
        writer.Write(_values.Length);
        foreach (var values in _values)
        {
            writer.Write(values.Length);
            foreach (float v in values)
                writer.Write(v);
        }
        TrainingHistoryFormat.Write(writer, History);
    }

    static ConvolutionalNetworkModelParameters IPersistedModel<ConvolutionalNetworkModelParameters>.Read(ModelReader reader, uint version)
    {
        var shape = new ImageShape(reader.ReadInt32("Channels", 1, 1 << 16), reader.ReadInt32("Height", 1, 1 << 16), reader.ReadInt32("Width", 1, 1 << 16));
        int classCount = reader.ReadInt32("ClassCount", 1, int.MaxValue);
        int layerCount = reader.ReadInt32("LayerCount", 0, MaximumLayerCount);
        var layers = new ConvNetLayer[layerCount];
        for (int l = 0; l < layerCount; l++)
            layers[l] = ConvNetLayerFormat.Read(reader, l);
        int parameterCount = reader.ReadInt32("ParameterCount", 1, 4 * MaximumLayerCount);
        var values = new float[parameterCount][];
        for (int p = 0; p < parameterCount; p++)
            values[p] = reader.ReadSingles($"Parameters[{p}]", reader.ReadInt32($"ParameterLength[{p}]", 1, int.MaxValue));
        var history = TrainingHistoryFormat.Read(reader, hasStopReason: true);
        try
        {
            var model = new ConvolutionalNetworkModelParameters(shape, layers, classCount, values, history);
            if (model.Parameters.Any(p => p.Name == "running_var" && p.Values.Span.ToArray().Any(v => v < 0)))
                throw new CorruptModelException($"The saved {nameof(ConvolutionalNetworkModelParameters)} has a negative running variance.");
            return model;
        }
        catch (ArgumentException e)
        {
            throw new CorruptModelException($"The saved {nameof(ConvolutionalNetworkModelParameters)} is inconsistent: {e.Message}", e);
        }
    }
}
