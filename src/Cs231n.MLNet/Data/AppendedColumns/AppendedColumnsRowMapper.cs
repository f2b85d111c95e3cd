using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Data.AppendedColumns;

/// <summary>Computes the appended columns one row at a time, for <c>PredictionEngine</c> and ML.NET's row-to-row machinery.</summary>
internal sealed class AppendedColumnsRowMapper : IRowToRowMapper
{
    private readonly AppendedColumnsBinding _bound;

    public AppendedColumnsRowMapper(AppendedColumnsBinding bound) => _bound = bound;

    public DataViewSchema InputSchema => _bound.Input;

    public DataViewSchema OutputSchema => _bound.Schema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        => _bound.InputColumnsFor(dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        => new Row(_bound, input, AppendedColumnsDataView.Active(activeColumns));

    private sealed class Row : DataViewRow
    {
        private readonly AppendedColumnsBinding _bound;
        private readonly DataViewRow _input;
        private readonly HashSet<int> _active;
        private readonly IOutputGetters _outputs;

        public Row(AppendedColumnsBinding bound, DataViewRow input, HashSet<int> active)
        {
            _bound = bound;
            _input = input;
            _active = active;
            _outputs = bound.OutputsOf(input);
        }

        public override DataViewSchema Schema => _bound.Schema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            => _bound.GetGetter<TValue>(_input, column, _outputs);
    }
}
