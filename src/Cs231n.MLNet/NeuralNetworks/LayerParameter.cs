using System.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// A learnable array of a layer together with its gradient. Optimisers update <see cref="Value"/> from
/// <see cref="Gradient"/>; L2 regularisation applies only where <see cref="IsRegularized"/> (weights, not biases).
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class LayerParameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a zero-filled parameter of <paramref name="rows"/>×<paramref name="columns"/> values.</summary>
    public LayerParameter(string name, int rows, int columns, bool isRegularized)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        Name = name;
        Rows = rows;
        Columns = columns;
        IsRegularized = isRegularized;
        Value = new T[checked(rows * columns)];
        Gradient = new T[Value.Length];
    }

    /// <summary>Short name within its layer, such as "W" or "b".</summary>
    public string Name { get; }

    /// <summary>Rows of the parameter's shape (1 for a vector).</summary>
    public int Rows { get; }

    /// <summary>Columns of the parameter's shape.</summary>
    public int Columns { get; }

    /// <summary>Whether L2 regularisation (weight decay) applies to this parameter.</summary>
    public bool IsRegularized { get; }

    /// <summary>The current values, row-major.</summary>
    public T[] Value { get; }

    /// <summary>The gradient of the loss with respect to <see cref="Value"/>, filled by the backward pass.</summary>
    public T[] Gradient { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Rows}×{Columns})";
}
