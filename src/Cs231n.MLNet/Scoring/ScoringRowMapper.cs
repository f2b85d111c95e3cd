using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Scoring;

/// <summary>Scores one row at a time, for <c>PredictionEngine</c> and ML.NET's row-to-row machinery.</summary>
internal sealed class ScoringRowMapper : IRowToRowMapper
{
    private readonly ScoredSchema _bound;
    private readonly Cs231nModelParameters _model;

    public ScoringRowMapper(ScoredSchema bound, Cs231nModelParameters model)
    {
        _bound = bound;
        _model = model;
    }

    public DataViewSchema InputSchema => _bound.Input;

    public DataViewSchema OutputSchema => _bound.Schema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = new HashSet<int>();
        foreach (var column in dependingColumns)
            needed.Add(_bound.IsOutput(column.Index) ? _bound.FeatureColumn.Index : column.Index);
        return needed.Select(i => _bound.Input[i]).ToArray();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        => new Row(this, input, activeColumns.Select(c => c.Index).ToHashSet());

    private sealed class Row : DataViewRow
    {
        private readonly ScoringRowMapper _parent;
        private readonly DataViewRow _input;
        private readonly HashSet<int> _active;
        private readonly ScoreBlock _block;
        private ValueGetter<VBuffer<float>>? _features;
        private VBuffer<float> _row;
        private long _scoredPosition = -1;

        public Row(ScoringRowMapper parent, DataViewRow input, HashSet<int> active)
        {
            _parent = parent;
            _input = input;
            _active = active;
            _block = new ScoreBlock(parent._model, capacity: 1);
        }

        public override DataViewSchema Schema => _parent.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        private void EnsureScored()
        {
            if (_scoredPosition == _input.Position && _input.Position >= 0)
                return;
            _features ??= _input.GetGetter<VBuffer<float>>(_parent._bound.FeatureColumn);
            _features(ref _row);
            _block.Clear();
            _block.Add(_row, _parent._bound.FeatureColumn.Name);
            _block.Score();
            _scoredPosition = _input.Position;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            => _parent._bound.GetGetter<TValue>(_input, column, _block, () =>
            {
                EnsureScored();
                return 0;
            });
    }
}
