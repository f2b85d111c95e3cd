using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Data.InMemory;

/// <summary>
/// One column of an <see cref="InMemoryDataView"/>: a name, a type, and a way to read row <c>i</c> straight from a
/// backing array, so cursors hand out values without allocating anything per row.
/// </summary>
internal abstract class InMemoryColumn
{
    protected InMemoryColumn(string name, DataViewType type)
    {
        Name = name;
        Type = type;
    }

    /// <summary>The column name in the schema.</summary>
    public string Name { get; }

    /// <summary>The column type in the schema.</summary>
    public DataViewType Type { get; }

    /// <summary>Makes a getter that reads the row the cursor currently points at.</summary>
    /// <remarks>The returned delegate is a <see cref="ValueGetter{TValue}"/> of the column's representation type.</remarks>
    public abstract Delegate MakeGetter(InMemoryCursor cursor);
}
