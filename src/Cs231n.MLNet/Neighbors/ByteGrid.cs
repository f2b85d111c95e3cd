namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// How 8-bit values map to the features a model was trained on: the byte itself, or the byte scaled to [0, 1] the
/// two ways image pipelines do it (<c>b / 255f</c>, and ML.NET's <c>ExtractPixels</c> scaling <c>b · (1f / 255f)</c>).
/// A feature vector is on the grid when every value is exactly the float one of these maps gives for some byte.
/// </summary>
internal enum ByteGridScale : byte
{
    /// <summary>Values are the integers 0–255.</summary>
    Integers = 1,

    /// <summary>Values are <c>b / 255f</c>.</summary>
    DividedBy255 = 2,

    /// <summary>Values are <c>b · (1f / 255f)</c>.</summary>
    TimesReciprocalOf255 = 3,
}

/// <summary>Encodes feature vectors on a <see cref="ByteGridScale"/> as bytes and decodes them exactly.</summary>
internal sealed class ByteGrid
{
    private readonly float[] _values = new float[256];

    public ByteGrid(ByteGridScale scale)
    {
        if (!Enum.IsDefined(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "Unknown 8-bit grid scale.");
        Scale = scale;
        for (int b = 0; b < 256; b++)
            _values[b] = scale switch
            {
                ByteGridScale.Integers => b,
                ByteGridScale.DividedBy255 => b / 255f,
                _ => b * (1f / 255f),
            };
    }

    public ByteGridScale Scale { get; }

    /// <summary>The grid step in feature units (1 or 1/255).</summary>
    public double Step => Scale == ByteGridScale.Integers ? 1.0 : 1.0 / 255;

    /// <summary>
    /// Largest relative error of a decoded value against <c>b · Step</c>: none for integers, one rounding for
    /// <c>b / 255f</c>, two for <c>b · (1f / 255f)</c> (bounded here by 2.0001 units of roundoff).
    /// </summary>
    public double RelativeError => Scale == ByteGridScale.Integers ? 0 : 2.0001 / (1 << 24);

    /// <summary>A human-readable name of the grid, for the training log.</summary>
    public string Description => Scale switch
    {
        ByteGridScale.Integers => "integers 0–255",
        ByteGridScale.DividedBy255 => "multiples of 1/255 in [0, 1] (b / 255)",
        _ => "multiples of 1/255 in [0, 1] (b · (1/255))",
    };

    public float Decode(byte value) => _values[value];

    public void Decode(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        for (int i = 0; i < bytes.Length; i++)
            values[i] = _values[bytes[i]];
    }

    /// <summary>Whether every value is on the grid; if so, writes its bytes.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool TryEncode(ReadOnlySpan<float> values, Span<byte> bytes)
    {
        float scale = Scale == ByteGridScale.Integers ? 1f : 255f;
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            float scaled = MathF.Round(v * scale);
            // Also rejects NaN and ±∞ (the comparisons fail).
            if (!(scaled >= 0 && scaled <= 255))
                return false;
            byte b = (byte)scaled;
            if (_values[b] != v)
                return false;
            bytes[i] = b;
        }
        return true;
    }

    /// <summary>The first grid every value lies on, with the values encoded; null when there is none.</summary>
    public static ByteGrid? Detect(ReadOnlySpan<float> values, byte[] bytes)
    {
        foreach (ByteGridScale scale in Enum.GetValues<ByteGridScale>())
        {
            var grid = new ByteGrid(scale);
            if (grid.TryEncode(values, bytes))
                return grid;
        }
        return null;
    }
}
