using System.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// One stage of a network with CS231n's forward/backward pair. <see cref="Forward"/> maps an N×<see cref="InputSize"/>
/// minibatch to N×<see cref="OutputSize"/> and keeps what the backward pass needs (a reference to its input or its
/// output); <see cref="Backward"/> takes the upstream gradient dLoss/dOutput, adds the parameter gradients into
/// <see cref="LayerParameter{T}.Gradient"/> and returns dLoss/dInput.
/// </summary>
/// <remarks>
/// Returned matrices live in buffers owned by the layer and are overwritten by its next call; they grow to the largest
/// minibatch seen and are then reused, so a training loop allocates nothing after its first batch. A backward call
/// refers to the most recent forward call, whose input must not have been modified in between.
/// </remarks>
/// <typeparam name="T">The number type.</typeparam>
public abstract class Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Columns of the input.</summary>
    public abstract int InputSize { get; }

    /// <summary>Columns of the output.</summary>
    public abstract int OutputSize { get; }

    /// <summary>The learnable parameters (empty for parameter-free layers).</summary>
    public virtual IReadOnlyList<LayerParameter<T>> Parameters => [];

    /// <summary>
    /// Whether <see cref="Backward"/> computes the input gradient. A network turns it off for its first layer, where
    /// nothing consumes it, saving the largest matrix product of the backward pass; the returned matrix is then empty.
    /// </summary>
    public bool ComputesInputGradient { get; set; } = true;

    // Rows of the most recent forward pass: the backward pass must get an upstream gradient for exactly those rows.
    private int _forwardRows;

    /// <summary>Computes the output for <paramref name="input"/>, keeping what <see cref="Backward"/> needs.</summary>
    /// <param name="input">An N×<see cref="InputSize"/> minibatch.</param>
    /// <param name="training">True in training (dropout active); false for inference.</param>
    /// <returns>The N×<see cref="OutputSize"/> output, in a buffer owned by the layer.</returns>
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        if (input.Columns != InputSize)
            throw new ArgumentException($"{GetType().Name} expects {InputSize} input columns; got {input.Columns}.", nameof(input));
        _forwardRows = input.Rows;
        return ForwardCore(input, training);
    }

    /// <summary>Back-propagates <paramref name="outputGradient"/> through the most recent forward call.</summary>
    /// <param name="outputGradient">dLoss/dOutput, N×<see cref="OutputSize"/>.</param>
    /// <returns>dLoss/dInput, N×<see cref="InputSize"/>, in a buffer owned by the layer (empty when
    /// <see cref="ComputesInputGradient"/> is false).</returns>
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        if (outputGradient.Columns != OutputSize)
            throw new ArgumentException($"{GetType().Name} expects an upstream gradient of {OutputSize} columns; got {outputGradient.Columns}.", nameof(outputGradient));
        if (outputGradient.Rows != _forwardRows)
            throw new ArgumentException($"The upstream gradient has {outputGradient.Rows} rows but the last forward pass had {_forwardRows}.", nameof(outputGradient));
        return BackwardCore(outputGradient);
    }

    /// <summary>The forward pass after the shape check.</summary>
    protected abstract Matrix<T> ForwardCore(Matrix<T> input, bool training);

    /// <summary>The backward pass after the shape checks (columns, and rows against the last forward pass).</summary>
    protected abstract Matrix<T> BackwardCore(Matrix<T> outputGradient);

    /// <summary>Fills the parameters with their initial values.</summary>
    /// <param name="random">Source of the seeded random draws.</param>
    internal virtual void Initialize(SeededRandom random)
    {
    }
}
