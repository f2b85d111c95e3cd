using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Data.AppendedColumns;

namespace Cs231n.MLNet.Scoring;

/// <summary>
/// The lazy output of <see cref="MulticlassBatchPredictionTransformer{TModel}.Transform"/>. Its cursor reads the
/// input twice, in step: a lead cursor fetches the features of the next block of rows so they can be scored together,
/// and a follow cursor serves the input columns of the current row. Rows are matched by their row ids, so a
/// source that enumerated rows differently the second time is detected rather than mis-scored.
/// </summary>
internal sealed class ScoredDataView : IDataView
{
    private readonly IDataView _input;
    private readonly ScoredSchema _bound;
    private readonly Cs231nModelParameters _model;

    public ScoredDataView(IDataView input, ScoredSchema bound, Cs231nModelParameters model)
    {
        _input = input;
        _bound = bound;
        _model = model;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema => _bound.Schema;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        bool scoring = needed.Any(_bound.IsOutput);
        var inputColumns = needed.Where(i => !_bound.IsOutput(i)).Select(i => _bound.Input[i]).ToArray();
        if (!scoring)
            return new Cursor(this, _input.GetRowCursor(inputColumns, rand), lead: null, needed);

        // Both cursors must enumerate the same rows in the same order: give them generators with one seed.
        int? seed = rand?.Next();
        var follow = _input.GetRowCursor(inputColumns, seed is int s1 ? new Random(s1) : null);
        var lead = _input.GetRowCursor(new[] { _bound.FeatureColumn }, seed is int s2 ? new Random(s2) : null);
        return new Cursor(this, follow, lead, needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        // One cursor: block scoring already uses every core.
        => new[] { GetRowCursor(columnsNeeded, rand) };

    /// <summary>Follows the input row for row and scores the rows ahead, a block at a time, from the lead cursor.</summary>
    private sealed class Cursor : AppendedColumnsCursor
    {
        private readonly ScoredSchema _bound;
        private readonly DataViewRowCursor? _lead;
        private readonly ScoreBlock? _block;
        private readonly DataViewRowId[] _blockIds = [];
        private readonly ValueGetter<VBuffer<float>>? _leadFeatures;
        private readonly ValueGetter<DataViewRowId>? _leadId;
        private readonly ValueGetter<DataViewRowId> _followId;
        private VBuffer<float> _row;
        private int _index = -1;

        public Cursor(ScoredDataView parent, DataViewRowCursor follow, DataViewRowCursor? lead, HashSet<int> active)
            : base(parent._bound, follow, active)
        {
            _bound = parent._bound;
            _lead = lead;
            _followId = follow.GetIdGetter();
            if (lead != null)
            {
                _block = new ScoreBlock(parent._model, MulticlassBatchPredictionTransformer<Cs231nModelParameters>.BlockSize);
                _blockIds = new DataViewRowId[_block.Capacity];
                _leadFeatures = lead.GetGetter<VBuffer<float>>(_bound.FeatureColumn);
                _leadId = lead.GetIdGetter();
                Outputs = new ScoredSchema.BlockOutputs(_bound, _block, () => _index);
            }
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _followId;

        // Fully optimised from the first call: it runs for every scored row (or block), and a user's one Transform is that first call.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool MoveNext()
        {
            if (!Input.MoveNext())
                return false;
            if (_block == null)
                return true;
            if (++_index >= _block.Count)
                FillBlock();
            DataViewRowId id = default;
            _followId(ref id);
            if (!id.Equals(_blockIds[_index]))
                throw new InvalidOperationException(
                    "The input data enumerated its rows in a different order on a second pass; scoring needs a deterministic source (cache it with AppendCacheCheckpoint).");
            return true;
        }

        // Fully optimised from the first call: it runs for every scored row (or block), and a user's one Transform is that first call.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void FillBlock()
        {
            _block!.Clear();
            _index = 0;
            string featureName = _bound.FeatureColumn.Name;
            while (_block.Count < _block.Capacity && _lead!.MoveNext())
            {
                _leadId!(ref _blockIds[_block.Count]);
                _leadFeatures!(ref _row);
                _block.Add(_row, featureName);
            }
            if (_block.Count == 0)
                throw new InvalidOperationException("The input data has fewer rows on a second pass; scoring needs a deterministic source.");
            _block.Score();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _lead?.Dispose();
            base.Dispose(disposing);
        }
    }
}
