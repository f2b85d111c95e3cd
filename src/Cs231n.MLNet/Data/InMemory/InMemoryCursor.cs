using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Data.InMemory;

/// <summary>A cursor over an <see cref="InMemoryDataView"/>, in file order or in a given permutation.</summary>
internal sealed class InMemoryCursor : DataViewRowCursor
{
    private readonly InMemoryDataView _view;
    private readonly Delegate?[] _getters;
    private readonly int[]? _order;
    private long _position = -1;
    private bool _disposed;

    public InMemoryCursor(InMemoryDataView view, InMemoryColumn[] columns, bool[] active, int[]? order)
    {
        _view = view;
        _order = order;
        _getters = new Delegate?[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            if (active[i])
                _getters[i] = columns[i].MakeGetter(this);
        }
    }

    /// <summary>The index, in the backing arrays, of the row the cursor points at.</summary>
    public long SourceRow { get; private set; } = -1;

    public override long Position => _position;

    public override long Batch => 0;

    public override DataViewSchema Schema => _view.Schema;

    public override bool MoveNext()
    {
        if (_disposed || _position + 1 >= _view.RowCount)
        {
            _position = _disposed ? _position : _view.RowCount;
            SourceRow = -1;
            return false;
        }
        _position++;
        SourceRow = _order is null ? _position : _order[_position];
        return true;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter()
    {
        // The id names the underlying row, so it stays the same whichever order the rows are visited in.
        return (ref DataViewRowId value) =>
        {
            EnsureOnRow();
            value = new DataViewRowId((ulong)SourceRow, 0);
        };
    }

    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        CheckColumn(column);
        return _getters[column.Index] is not null;
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        CheckColumn(column);
        var getter = _getters[column.Index]
            ?? throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was created; pass it in 'columnsNeeded'.");
        if (getter is not ValueGetter<TValue> typed)
            throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        return (ref TValue value) =>
        {
            EnsureOnRow();
            typed(ref value);
        };
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        SourceRow = -1;
        base.Dispose(disposing);
    }

    private void CheckColumn(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= _getters.Length)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' (index {column.Index}) is not a column of this cursor's schema.");
    }

    private void EnsureOnRow()
    {
        if (SourceRow < 0)
            throw new InvalidOperationException("The cursor is not on a row: call MoveNext() first and read values only while it returns true.");
    }
}
