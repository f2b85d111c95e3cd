using Cs231n.MLNet.Losses;
using Cs231n.MLNet.Mlp;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.ConvolutionalNetworks;

/// <summary>Turns a typed layer list into a network for a given image shape and class count.</summary>
internal static class ConvNetArchitecture
{
    /// <summary>
    /// The default network, chosen on full Fashion-MNIST for accuracy within a few minutes on two cores:
    /// [conv 3×3×32 → batch norm → ReLU → max-pool 2] → [conv 3×3×64 → batch norm → ReLU → max-pool 2] →
    /// fully connected 128 → batch norm → ReLU → dropout 0.3, then the classifier.
    /// </summary>
    public static ConvNetLayer[] DefaultLayers() =>
    [
        new Convolution(32, 3), new BatchNormalization(), new Activation(), new MaxPooling(2),
        new Convolution(64, 3), new BatchNormalization(), new Activation(), new MaxPooling(2),
        new FullyConnected(128), new BatchNormalization(), new Activation(), new Dropout(0.3),
    ];

    /// <summary>
    /// Builds [augmentation] → <paramref name="layers"/> → classifier for images of <paramref name="input"/>.
    /// </summary>
    /// <param name="input">C×H×W of each row.</param>
    /// <param name="layers">The hidden layers, as listed by the user.</param>
    /// <param name="classCount">Outputs of the classifier.</param>
    /// <param name="seed">Seed of the dropout and augmentation draws.</param>
    /// <param name="maxShift">Largest random shift in training (0 for none); inference networks pass 0.</param>
    /// <param name="horizontalFlip">Whether training mirrors half of the images.</param>
    /// <exception cref="ArgumentException">A layer does not fit the shape reaching it; the message names the layer.</exception>
    public static NeuralNetwork<float> Build(ImageShape input, IReadOnlyList<ConvNetLayer> layers, int classCount, int seed,
        int maxShift = 0, bool horizontalFlip = false)
    {
        var built = new List<Layer<float>>();
        if (maxShift > 0 || horizontalFlip)
            built.Add(new ImageAugmentationLayer<float>(input, maxShift, horizontalFlip, unchecked(seed * 31 + 7)));
        var shape = input;
        bool flat = false;
        int[] order = BuildOrder(layers).ToArray();
        for (int k = 0; k < order.Length; k++)
        {
            int i = order[k];
            var layer = layers[i];
            try
            {
                switch (layer)
                {
                    case Convolution c:
                        RequireImage(flat, i, layer);
                        var conv = new Conv2dLayer<float>(shape, c.Filters, c.KernelSize, c.Stride, c.EffectivePadding);
                        built.Add(conv);
                        shape = conv.Output;
                        break;
                    case MaxPooling p:
                        RequireImage(flat, i, layer);
                        // A ReLU right after the pooling runs inside it: one pass over the pooled batch instead of two.
                        bool rectify = k + 1 < order.Length && layers[order[k + 1]] is Activation { Function: ActivationFunction.Relu };
                        var pool = new MaxPool2dLayer<float>(shape, p.PoolSize, p.Stride, rectify);
                        built.Add(pool);
                        shape = pool.Output;
                        if (rectify)
                            k++;
                        break;
                    case BatchNormalization b:
                        built.Add(flat ? new BatchNorm1dLayer<float>(shape.Size, b.Momentum) : new SpatialBatchNormLayer<float>(shape, b.Momentum));
                        break;
                    case Activation a:
                        built.Add(MlpArchitecture.CreateActivation(a.Function, shape.Size));
                        break;
                    case Dropout d:
                        built.Add(new DropoutLayer<float>(shape.Size, d.Rate, unchecked(seed * 31 + i + 1)));
                        break;
                    case FullyConnected f:
                        if (!flat)
                            built.Add(new FlattenLayer<float>(shape));
                        built.Add(new AffineLayer<float>(shape.Size, f.Units, WeightInitialization.He));
                        shape = new ImageShape(f.Units, 1, 1);
                        flat = true;
                        break;
                    default:
                        throw new ArgumentException($"Layer {i} has the unknown type {layer?.GetType().Name ?? "null"}.");
                }
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ArgumentException($"Layer {i} ({layer}) of the convolutional network does not fit its {shape} input: {e.Message}", nameof(layers), e);
            }
        }
        if (!flat)
            built.Add(new FlattenLayer<float>(shape));
        built.Add(new AffineLayer<float>(shape.Size, classCount, WeightInitialization.Xavier));
        return new NeuralNetwork<float>(built, new SoftmaxCrossEntropyLoss<float>());
    }

    /// <summary>
    /// The order in which <paramref name="layers"/> are built: as listed, except that a ReLU directly followed by max
    /// pooling is built after the pooling. <see cref="Build"/> then folds a ReLU that follows a pooling in this order
    /// into the pooling layer (<see cref="MaxPool2dLayer{T}.Rectifies"/>), which computes the pair bit for bit.
    /// </summary>
    /// <remarks>
    /// ReLU and max pooling commute exactly: max(relu(x)) = relu(max(x)), and in the backward pass both orders send the
    /// gradient to the same position (the first maximum of the window, which ReLU leaves unchanged when it is positive)
    /// or nowhere (a window with no positive value has a zero ReLU gradient either way). Built in this order the ReLU runs
    /// on the pooled image, a quarter of the values for 2×2 pooling, so a step of the usual conv → ReLU → pool block is
    /// cheaper with bit-identical results. Other activations are left in place: a strictly increasing function can map
    /// two different inputs to one rounded value, and the tie would move the gradient.
    /// </remarks>
    internal static IEnumerable<int> BuildOrder(IReadOnlyList<ConvNetLayer> layers)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is Activation { Function: ActivationFunction.Relu } && i + 1 < layers.Count && layers[i + 1] is MaxPooling)
            {
                yield return i + 1;
                yield return i;
                i++;
                continue;
            }
            yield return i;
        }
    }

    private static void RequireImage(bool flat, int index, ConvNetLayer layer)
    {
        if (flat)
            throw new ArgumentException($"Layer {index} ({layer}) of the convolutional network comes after a FullyConnected layer, where there is no image left; put convolutions and pooling before the fully connected layers.");
    }
}
