using System.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>A parameter-free layer applying a function to every value; input and output have the same shape.</summary>
/// <typeparam name="T">The number type.</typeparam>
public abstract class ElementwiseLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _output = [];
    private T[] _inputGradient = [];

    /// <summary>Creates a layer over rows of <paramref name="size"/> values.</summary>
    protected ElementwiseLayer(int size)
    {
        if (size < 1)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"A layer needs at least one unit; got {size}.");
        Size = size;
    }

    /// <summary>Number of values per row.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public override int InputSize => Size;

    /// <inheritdoc/>
    public override int OutputSize => Size;

    /// <summary>The input of the last forward pass.</summary>
    protected Matrix<T> LastInput { get; private set; }

    /// <summary>The output of the last forward pass.</summary>
    protected Matrix<T> LastOutput { get; private set; }

    /// <inheritdoc/>
    protected sealed override Matrix<T> ForwardCore(Matrix<T> input, bool training)
    {
        LastInput = input;
        LastOutput = Matrix<T>.Reuse(ref _output, input.Rows, Size);
        Apply(input.Span, LastOutput.Span, training);
        return LastOutput;
    }

    /// <inheritdoc/>
    protected sealed override Matrix<T> BackwardCore(Matrix<T> outputGradient)
    {
        if (!ComputesInputGradient)
            return default;
        var inputGradient = Matrix<T>.Reuse(ref _inputGradient, outputGradient.Rows, Size);
        Derive(outputGradient.Span, inputGradient.Span);
        return inputGradient;
    }

    /// <summary>Writes f(input) to <paramref name="output"/>.</summary>
    protected abstract void Apply(ReadOnlySpan<T> input, Span<T> output, bool training);

    /// <summary>Writes dLoss/dInput from dLoss/dOutput, using <see cref="LastInput"/> or <see cref="LastOutput"/>.</summary>
    protected abstract void Derive(ReadOnlySpan<T> outputGradient, Span<T> inputGradient);
}
