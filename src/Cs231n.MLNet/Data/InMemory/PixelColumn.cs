using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Data.InMemory;

/// <summary>
/// A known-size <see cref="float"/> vector column backed by one <see cref="byte"/> array holding every row's
/// pixels back to back; each byte <c>b</c> is exposed as <c>b / 255f</c>.
/// </summary>
internal sealed class PixelColumn : InMemoryColumn
{
    // b / 255f for every byte value: a table lookup is cheaper than a division per pixel and gives the
    // correctly rounded quotient, identical to what the division would give.
    private static readonly float[] ScaledByte = BuildScaleTable();

    private readonly byte[] _pixels;
    private readonly int _length;

    public PixelColumn(string name, byte[] pixels, int valuesPerRow)
        : base(name, new VectorDataViewType(NumberDataViewType.Single, valuesPerRow))
    {
        _pixels = pixels;
        _length = valuesPerRow;
    }

    public override Delegate MakeGetter(InMemoryCursor cursor)
    {
        ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
        {
            var source = _pixels.AsSpan(checked((int)(cursor.SourceRow * _length)), _length);
            var editor = VBufferEditor.Create(ref value, _length);
            var destination = editor.Values;
            var table = ScaledByte;
            for (int i = 0; i < source.Length; i++)
                destination[i] = table[source[i]];
            value = editor.Commit();
        };
        return getter;
    }

    private static float[] BuildScaleTable()
    {
        var table = new float[256];
        for (int b = 0; b < table.Length; b++)
            table[b] = b / 255f;
        return table;
    }
}
