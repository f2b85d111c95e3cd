using System.Globalization;

namespace Cs231n.MLNet.ConvolutionalNetworks;

/// <summary>
/// One entry of <see cref="ConvolutionalNetworkTrainer.Options.Layers"/>: the typed description of a layer, from which
/// the trainer builds the network once the image shape is known. The classifier (a fully connected layer to the class
/// scores, then softmax) is added after the listed layers, and images are flattened before the first
/// <see cref="FullyConnected"/> layer. CS231n's ThreeLayerConvNet is
/// <c>[new Convolution(32, 7), new Activation(), new MaxPooling(), new FullyConnected(100), new Activation()]</c>.
/// </summary>
public abstract record ConvNetLayer
{
    private protected ConvNetLayer()
    {
    }

    /// <summary>Throws with a message naming the layer and the invalid setting.</summary>
    internal abstract void Validate(int index);

    private protected ArgumentOutOfRangeException Invalid(int index, string setting, object value, string requirement)
        => new(setting, value, $"Layer {index} ({this}) of the convolutional network: '{setting}' {requirement}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}.");
}

/// <summary>A 2-D convolution of <see cref="Filters"/> square kernels, with He-initialised weights and a bias per filter.</summary>
/// <param name="Filters">Output channels.</param>
/// <param name="KernelSize">Height and width of each kernel.</param>
/// <param name="Stride">Step between kernel positions.</param>
/// <param name="Padding">Zero pixels on every side; null for ⌊K/2⌋, which keeps the size for odd kernels at stride 1.</param>
public sealed record Convolution(int Filters, int KernelSize = 3, int Stride = 1, int? Padding = null) : ConvNetLayer
{
    /// <summary>The padding used: <see cref="Padding"/> or ⌊K/2⌋.</summary>
    public int EffectivePadding => Padding ?? KernelSize / 2;

    internal override void Validate(int index)
    {
        if (Filters < 1)
            throw Invalid(index, nameof(Filters), Filters, "must be at least 1");
        if (KernelSize < 1)
            throw Invalid(index, nameof(KernelSize), KernelSize, "must be at least 1");
        if (Stride < 1)
            throw Invalid(index, nameof(Stride), Stride, "must be at least 1");
        if (EffectivePadding < 0 || EffectivePadding >= KernelSize)
            throw Invalid(index, nameof(Padding), EffectivePadding, $"must be in [0, {KernelSize}) for a kernel of {KernelSize}");
    }
}

/// <summary>Max pooling over square windows, channel by channel.</summary>
/// <param name="PoolSize">Height and width of each window.</param>
/// <param name="Stride">Step between windows; null for <paramref name="PoolSize"/>.</param>
public sealed record MaxPooling(int PoolSize = 2, int? Stride = null) : ConvNetLayer
{
    internal override void Validate(int index)
    {
        if (PoolSize < 1)
            throw Invalid(index, nameof(PoolSize), PoolSize, "must be at least 1");
        if (Stride is < 1)
            throw Invalid(index, nameof(Stride), Stride, "must be at least 1 (or null for the pool size)");
    }
}

/// <summary>
/// Batch normalisation: spatial (per channel) after a convolution or pooling layer, 1-D (per unit) after a fully
/// connected one. Learns a scale and shift per channel and keeps running statistics for prediction.
/// </summary>
/// <param name="Momentum">Weight of the old running statistics in each update, in [0, 1).</param>
public sealed record BatchNormalization(double Momentum = 0.9) : ConvNetLayer
{
    internal override void Validate(int index)
    {
        if (!(Momentum >= 0 && Momentum < 1))
            throw Invalid(index, nameof(Momentum), Momentum, "must be in [0, 1)");
    }
}

/// <summary>An element-wise nonlinearity.</summary>
/// <param name="Function">The nonlinearity.</param>
public sealed record Activation(ActivationFunction Function = ActivationFunction.Relu) : ConvNetLayer
{
    internal override void Validate(int index)
    {
        if (!Enum.IsDefined(Function))
            throw Invalid(index, nameof(Function), Function, "must be Relu, LeakyRelu, Tanh or Sigmoid");
    }
}

/// <summary>Inverted dropout in training; the identity at prediction.</summary>
/// <param name="Rate">Probability of zeroing each value, in [0, 1).</param>
public sealed record Dropout(double Rate) : ConvNetLayer
{
    internal override void Validate(int index)
    {
        if (!(Rate >= 0 && Rate < 1))
            throw Invalid(index, nameof(Rate), Rate, "must be in [0, 1)");
    }
}

/// <summary>A fully connected (affine) layer; images are flattened before the first one.</summary>
/// <param name="Units">Outputs of the layer.</param>
public sealed record FullyConnected(int Units) : ConvNetLayer
{
    internal override void Validate(int index)
    {
        if (Units < 1)
            throw Invalid(index, nameof(Units), Units, "must be at least 1");
    }
}
