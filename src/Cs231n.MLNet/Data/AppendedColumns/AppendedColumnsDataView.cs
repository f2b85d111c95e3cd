using Microsoft.ML;

namespace Cs231n.MLNet.Data.AppendedColumns;

/// <summary>
/// The lazy output of a row-to-row transform: each cursor wraps a cursor of the input and computes the appended columns
/// only when they are read. Rows map one to one, so parallel cursor sets of the input are kept.
/// </summary>
internal sealed class AppendedColumnsDataView : IDataView
{
    private readonly IDataView _input;
    private readonly AppendedColumnsBinding _bound;

    public AppendedColumnsDataView(IDataView input, AppendedColumnsBinding bound)
    {
        _input = input;
        _bound = bound;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema => _bound.Schema;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        return new AppendedColumnsCursor(_bound, _input.GetRowCursor(_bound.InputColumnsFor(needed), rand), Active(needed));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        var active = Active(needed);
        return _input.GetRowCursorSet(_bound.InputColumnsFor(needed), n, rand)
            .Select(cursor => (DataViewRowCursor)new AppendedColumnsCursor(_bound, cursor, active))
            .ToArray();
    }

    internal static HashSet<int> Active(IEnumerable<DataViewSchema.Column> columns) => columns.Select(c => c.Index).ToHashSet();
}
