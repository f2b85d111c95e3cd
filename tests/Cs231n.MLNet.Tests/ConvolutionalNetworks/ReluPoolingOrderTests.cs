using Cs231n.MLNet.ConvolutionalNetworks;
using Cs231n.MLNet.Losses;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Tests.ConvolutionalNetworks;

/// <summary>
/// The network builder runs a ReLU that is followed by max pooling after the pooling, inside the pooling layer. These
/// tests hold it to its claim:
/// the same scores, loss and gradients, bit for bit, as the layers in the order the user listed them.
/// </summary>
[TestClass]
public sealed class ReluPoolingOrderTests
{
    [TestMethod]
    public void BuilderPoolsBeforeAReluInOneLayerAndLeavesOtherActivationsInPlace()
    {
        ConvNetLayer[] layers =
        [
            new Convolution(4, 3), new Activation(), new MaxPooling(2),
            new Convolution(4, 3), new Activation(ActivationFunction.Tanh), new MaxPooling(2),
            new FullyConnected(5), new Activation(),
        ];
        var network = ConvNetArchitecture.Build(new ImageShape(1, 12, 12), layers, classCount: 3, seed: 1);
        Type[] kinds = network.Layers.Select(l => l.GetType().GetGenericTypeDefinition()).ToArray();
        CollectionAssert.AreEqual(new[]
        {
            typeof(Conv2dLayer<>), typeof(MaxPool2dLayer<>),
            typeof(Conv2dLayer<>), typeof(TanhLayer<>), typeof(MaxPool2dLayer<>),
            typeof(FlattenLayer<>), typeof(AffineLayer<>), typeof(ReluLayer<>), typeof(AffineLayer<>),
        }, kinds);
        Assert.IsTrue(((MaxPool2dLayer<float>)network.Layers[1]).Rectifies, "the ReLU runs inside the pooling, on the pooled 4×6×6 image");
        Assert.IsFalse(((MaxPool2dLayer<float>)network.Layers[4]).Rectifies, "a pooling after tanh stays plain");
    }

    [TestMethod]
    public void PoolingFirstGivesBitIdenticalScoresLossAndGradients()
    {
        var shape = new ImageShape(2, 9, 9);
        var built = ConvNetArchitecture.Build(shape, [new Convolution(6, 3), new Activation(), new MaxPooling(2, 2)], classCount: 4, seed: 1);
        var conv = new Conv2dLayer<float>(shape, 6, 3, 1, 1);
        var listed = new NeuralNetwork<float>(
        [
            conv, new ReluLayer<float>(conv.OutputSize), new MaxPool2dLayer<float>(conv.Output, 2, 2),
            new FlattenLayer<float>(new ImageShape(6, 4, 4)), new AffineLayer<float>(6 * 4 * 4, 4, WeightInitialization.Xavier),
        ], new SoftmaxCrossEntropyLoss<float>());
        built.Initialize(seed: 3);
        for (int p = 0; p < built.Parameters.Count; p++)
            built.Parameters[p].Value.CopyTo(listed.Parameters[p].Value, 0);

        // Negative-only windows, exact zeros, ties between equal maxima and a large share of negative values: every
        // case where the order could matter.
        const int rows = 8;
        var random = new Random(5);
        var data = new float[rows * shape.Size];
        for (int i = 0; i < data.Length; i++)
            data[i] = random.Next(4) switch { 0 => 0f, 1 => -1f, 2 => 1f, _ => (float)(random.NextDouble() * 4 - 3) };
        var x = new Matrix<float>(data, rows, shape.Size);
        int[] labels = Enumerable.Range(0, rows).Select(i => i % 4).ToArray();

        float builtLoss = built.ComputeLossAndGradients(x, labels);
        float listedLoss = listed.ComputeLossAndGradients(x, labels);
        Assert.AreEqual(listedLoss, builtLoss, 0f);
        for (int p = 0; p < built.Parameters.Count; p++)
            CollectionAssert.AreEqual(listed.Parameters[p].Gradient, built.Parameters[p].Gradient, $"gradient of parameter {p}");
        var builtScores = built.Scores(x).Row(rows - 1).ToArray();
        var listedScores = listed.Scores(x).Row(rows - 1).ToArray();
        CollectionAssert.AreEqual(listedScores, builtScores);
    }
}
