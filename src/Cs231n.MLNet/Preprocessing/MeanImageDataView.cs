using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Preprocessing;

/// <summary>
/// The lazy output of <see cref="MeanImageTransformer.Transform"/>: each cursor wraps a cursor of the input and
/// subtracts the mean only when the output column is read. Rows map one to one, so parallel cursor sets of the input
/// are kept.
/// </summary>
internal sealed class MeanImageDataView : IDataView
{
    private readonly IDataView _input;
    private readonly MeanImageBinding _bound;

    public MeanImageDataView(IDataView input, MeanImageBinding bound)
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
        return new Cursor(_bound, _input.GetRowCursor(_bound.InputColumnsFor(needed), rand), Active(needed));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        var active = Active(needed);
        return _input.GetRowCursorSet(_bound.InputColumnsFor(needed), n, rand)
            .Select(cursor => (DataViewRowCursor)new Cursor(_bound, cursor, active))
            .ToArray();
    }

    private static HashSet<int> Active(IEnumerable<DataViewSchema.Column> columns) => columns.Select(c => c.Index).ToHashSet();

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly MeanImageBinding _bound;
        private readonly DataViewRowCursor _input;
        private readonly HashSet<int> _active;

        public Cursor(MeanImageBinding bound, DataViewRowCursor input, HashSet<int> active)
        {
            _bound = bound;
            _input = input;
            _active = active;
        }

        public override DataViewSchema Schema => _bound.Schema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override bool MoveNext() => _input.MoveNext();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was created.");
            return _bound.GetGetter<TValue>(_input, column);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
