using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Data.InMemory;

/// <summary>A text column backed by one string per row.</summary>
internal sealed class TextColumn : InMemoryColumn
{
    private readonly string[] _values;

    public TextColumn(string name, string[] values)
        : base(name, TextDataViewType.Instance)
    {
        _values = values;
    }

    public override Delegate MakeGetter(InMemoryCursor cursor)
    {
        ValueGetter<ReadOnlyMemory<char>> getter = (ref ReadOnlyMemory<char> value) =>
            value = _values[cursor.SourceRow].AsMemory();
        return getter;
    }
}
