namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// The shape of one image in a row of an activation matrix: <see cref="Channels"/>×<see cref="Height"/>×<see cref="Width"/>,
/// stored channel by channel, each channel row by row (ML.NET's <c>ExtractPixels</c> order, PyTorch's NCHW per row).
/// </summary>
/// <param name="Channels">C, the number of planes (1 for grey, 3 for RGB, the filter count after a convolution).</param>
/// <param name="Height">H, rows of pixels.</param>
/// <param name="Width">W, columns of pixels.</param>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>C·H·W, the number of values of one image.</summary>
    public int Size => checked(Channels * Height * Width);

    /// <summary>H·W, the values of one channel.</summary>
    public int PlaneSize => checked(Height * Width);

    /// <summary>Throws unless every dimension is at least 1.</summary>
    internal ImageShape Validated(string parameterName)
    {
        if (Channels < 1 || Height < 1 || Width < 1)
            throw new ArgumentOutOfRangeException(parameterName, this, $"An image needs at least one channel, row and column; got {this}.");
        return this;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Channels}×{Height}×{Width}";
}
