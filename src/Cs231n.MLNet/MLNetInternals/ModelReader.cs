using System.Runtime.InteropServices;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>
/// Reads the fields of a saved model defensively: every count is checked against a bound and against the bytes
/// left in the stream before anything is allocated, and every failure becomes a <see cref="CorruptModelException"/>
/// that names the model and the field.
/// </summary>
internal sealed class ModelReader
{
    private readonly BinaryReader _reader;
    private readonly string _modelName;

    public ModelReader(BinaryReader reader, string modelName)
    {
        _reader = reader;
        _modelName = modelName;
    }

    private long Remaining => _reader.BaseStream.CanSeek ? _reader.BaseStream.Length - _reader.BaseStream.Position : long.MaxValue;

    public int ReadInt32(string field, int min, int max)
    {
        int value = Guard(field, _reader.ReadInt32);
        if (value < min || value > max)
            throw Corrupt(field, $"value {value} is outside [{min}, {max}]");
        return value;
    }

    public long ReadInt64(string field, long min, long max)
    {
        long value = Guard(field, _reader.ReadInt64);
        if (value < min || value > max)
            throw Corrupt(field, $"value {value} is outside [{min}, {max}]");
        return value;
    }

    public byte[] ReadBytes(string field, long count) => ReadArray<byte>(field, count, isValid: null);

    /// <summary>Throws unless every byte has been read: trailing bytes mean the fields were misread.</summary>
    public void EnsureAtEnd()
    {
        if (_reader.BaseStream.CanSeek && Remaining != 0)
            throw Corrupt("end", $"{Remaining} unread bytes remain");
    }

    public float ReadSingle(string field, bool requireFinite = true)
    {
        float value = Guard(field, _reader.ReadSingle);
        if (requireFinite && !float.IsFinite(value))
            throw Corrupt(field, $"value {value} is not finite");
        return value;
    }

    public TEnum ReadEnum<TEnum>(string field) where TEnum : struct, Enum
    {
        int value = Guard(field, _reader.ReadInt32);
        var result = (TEnum)Enum.ToObject(typeof(TEnum), value);
        if (!Enum.IsDefined(result))
            throw Corrupt(field, $"{value} is not a {typeof(TEnum).Name}");
        return result;
    }

    public float[] ReadSingles(string field, long count, bool requireFinite = true)
        => ReadArray<float>(field, count, requireFinite ? v => float.IsFinite(v) : null);

    public double[] ReadDoubles(string field, long count, bool requireFinite = true)
        => ReadArray<double>(field, count, requireFinite ? v => double.IsFinite(v) : null);

    public int[] ReadInt32s(string field, long count, int min, int max)
        => ReadArray<int>(field, count, v => v >= min && v <= max);

    private T[] ReadArray<T>(string field, long count, Func<T, bool>? isValid) where T : unmanaged
    {
        long bytes = count * Marshal.SizeOf<T>();
        if (count < 0 || count > Array.MaxLength || bytes > Remaining)
            throw Corrupt(field, $"{count} values do not fit in the {Remaining} bytes left");
        var values = new T[count];
        int read = Guard(field, () =>
        {
            Span<byte> target = MemoryMarshal.AsBytes(values.AsSpan());
            return _reader.BaseStream.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
        });
        if (read != bytes)
            throw Corrupt(field, "the stream ends early");
        if (isValid != null)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!isValid(values[i]))
                    throw Corrupt(field, $"value {values[i]} at position {i} is invalid");
            }
        }
        return values;
    }

    private T Guard<T>(string field, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (EndOfStreamException e)
        {
            throw new CorruptModelException($"The saved {_modelName} is truncated: the stream ends while reading '{field}'.", e);
        }
        catch (IOException e)
        {
            throw new CorruptModelException($"The saved {_modelName} could not be read at '{field}': {e.Message}", e);
        }
    }

    private CorruptModelException Corrupt(string field, string problem)
        => new($"The saved {_modelName} is corrupt: field '{field}': {problem}. Save the model again from a trained pipeline.");
}
