namespace Cs231n.MLNet.Data;

/// <summary>
/// The content of an IDX file of unsigned bytes (type code <c>0x08</c>), the format of MNIST and Fashion-MNIST:
/// a shape and the values in row-major order.
/// </summary>
public sealed class IdxArray
{
    /// <summary>Wraps a shape and its data (not copied).</summary>
    /// <param name="dimensions">The size of every dimension, outermost first; 1 to 255 of them, none negative.</param>
    /// <param name="data">The values in row-major order; its length must be the product of <paramref name="dimensions"/>.</param>
    /// <exception cref="ArgumentException">The shape is invalid or does not match the data length.</exception>
    public IdxArray(int[] dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Length is 0 or > 255)
            throw new ArgumentException($"An IDX array has 1 to 255 dimensions; got {dimensions.Length}.", nameof(dimensions));
        long product = 1;
        for (int d = 0; d < dimensions.Length; d++)
        {
            if (dimensions[d] < 0)
                throw new ArgumentException($"Dimension {d} is {dimensions[d]}; dimensions must not be negative.", nameof(dimensions));
            product *= dimensions[d];
            if (product > Array.MaxLength)
                throw new ArgumentException($"The shape [{string.Join(", ", dimensions)}] holds more values than one array can.", nameof(dimensions));
        }
        if (product != data.Length)
            throw new ArgumentException($"The shape [{string.Join(", ", dimensions)}] holds {product} values but 'data' has {data.Length}.", nameof(data));
        Dimensions = dimensions.ToArray();
        Data = data;
    }

    /// <summary>The size of every dimension, outermost first (for images: count, rows, columns).</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The values in row-major order.</summary>
    public byte[] Data { get; }

    /// <inheritdoc/>
    public override string ToString() => $"IDX ubyte [{string.Join(" × ", Dimensions)}]";
}
