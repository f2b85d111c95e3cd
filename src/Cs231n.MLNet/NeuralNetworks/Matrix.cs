using System.Numerics;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// A row-major <see cref="Rows"/>×<see cref="Columns"/> matrix viewing the start of an array that may be longer, so
/// that a buffer sized for the largest minibatch also serves the smaller last one without reallocation.
/// </summary>
/// <typeparam name="T">The number type: <see cref="float"/> for training, <see cref="double"/> for gradient checks.</typeparam>
public readonly struct Matrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Views the first <paramref name="rows"/>·<paramref name="columns"/> values of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The array is shorter than rows·columns, or a size is negative.</exception>
    public Matrix(T[] data, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (rows < 0 || columns < 0)
            throw new ArgumentException($"A matrix cannot have negative size; got {rows}×{columns}.");
        if ((long)rows * columns > data.Length)
            throw new ArgumentException($"A {rows}×{columns} matrix needs {(long)rows * columns} values but the array holds {data.Length}.", nameof(data));
        Data = data;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>The underlying array; the matrix occupies its first Rows·Columns values.</summary>
    public T[] Data { get; }

    /// <summary>Number of rows (examples, for activations).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (features or units, for activations).</summary>
    public int Columns { get; }

    /// <summary>The Rows·Columns values in row-major order.</summary>
    public Span<T> Span => Data.AsSpan(0, Rows * Columns);

    /// <summary>Row <paramref name="row"/> as a span of length <see cref="Columns"/>.</summary>
    public Span<T> Row(int row) => Data.AsSpan(row * Columns, Columns);

    /// <summary>The value at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public T this[int row, int column]
    {
        get => Data[row * Columns + column];
        set => Data[row * Columns + column] = value;
    }

    /// <summary>
    /// Returns a rows×columns view of <paramref name="buffer"/>, first replacing the buffer by a larger one if it is too
    /// small. Buffers only grow, so a training loop allocates on its first (largest) minibatch and never again.
    /// </summary>
    internal static Matrix<T> Reuse(ref T[] buffer, int rows, int columns)
    {
        ReusableBuffer.EnsureLength(ref buffer, checked(rows * columns));
        return new Matrix<T>(buffer, rows, columns);
    }
}
