namespace Cs231n.MLNet.ConvolutionalNetworks;

/// <summary>One learned array of a fitted convolutional network, as exposed by <see cref="ConvolutionalNetworkModelParameters.Parameters"/>.</summary>
/// <param name="Layer">The layer it belongs to, such as "Convolution 1", "BatchNormalization 2" or "Classifier".</param>
/// <param name="Name">"W" (weights), "b" (biases), "gamma", "beta", "running_mean" or "running_var".</param>
/// <param name="Rows">Rows of its shape: filters for a convolution (then Columns is channels·K·K), outputs for a fully connected layer, 1 for vectors.</param>
/// <param name="Columns">Columns of its shape.</param>
/// <param name="Values">The values, row-major.</param>
public sealed record ConvNetParameter(string Layer, string Name, int Rows, int Columns, ReadOnlyMemory<float> Values);
