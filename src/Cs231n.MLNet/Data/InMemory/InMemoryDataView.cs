using Microsoft.ML;

namespace Cs231n.MLNet.Data.InMemory;

/// <summary>
/// A read-only <see cref="IDataView"/> over columns that live in plain arrays. Cursors allocate nothing per row,
/// and a cursor asked for with a <see cref="Random"/> walks the rows in a random permutation, so ML.NET's
/// shuffling trainers and <c>ShuffleRows</c> can shuffle without copying the data.
/// </summary>
internal sealed class InMemoryDataView : IDataView
{
    private readonly InMemoryColumn[] _columns;

    public InMemoryDataView(int rowCount, params InMemoryColumn[] columns)
    {
        RowCount = rowCount;
        _columns = columns;
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns)
            builder.AddColumn(column.Name, column.Type);
        Schema = builder.ToSchema();
    }

    /// <summary>The number of rows.</summary>
    public int RowCount { get; }

    public bool CanShuffle => true;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => RowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[_columns.Length];
        foreach (var column in columnsNeeded)
        {
            if (column.Index < 0 || column.Index >= active.Length || Schema[column.Index].Name != column.Name)
                throw new ArgumentException($"Column '{column.Name}' (index {column.Index}) is not a column of this data view's schema.", nameof(columnsNeeded));
            active[column.Index] = true;
        }
        return new InMemoryCursor(this, _columns, active, rand is null ? null : RandomPermutation(RowCount, rand));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        // Reading from memory is far cheaper than anything downstream: one cursor is the fastest "set".
        return [GetRowCursor(columnsNeeded, rand)];
    }

    private static int[] RandomPermutation(int count, Random rand)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
            order[i] = i;
        for (int i = count - 1; i > 0; i--)
        {
            int j = rand.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
