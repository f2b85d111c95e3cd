using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Data.InMemory;

/// <summary>
/// A text column whose row <c>i</c> is <c>texts[indices[i]]</c>: class names stored once and referenced by index,
/// so a label column of 60,000 rows costs one <see cref="int"/> per row.
/// </summary>
internal sealed class IndexedTextColumn : InMemoryColumn
{
    private readonly ReadOnlyMemory<char>[] _texts;
    private readonly int[] _indices;

    public IndexedTextColumn(string name, IReadOnlyList<string> texts, int[] indices)
        : base(name, TextDataViewType.Instance)
    {
        _texts = texts.Select(text => text.AsMemory()).ToArray();
        _indices = indices;
    }

    public override Delegate MakeGetter(InMemoryCursor cursor)
    {
        ValueGetter<ReadOnlyMemory<char>> getter = (ref ReadOnlyMemory<char> value) =>
            value = _texts[_indices[cursor.SourceRow]];
        return getter;
    }
}
