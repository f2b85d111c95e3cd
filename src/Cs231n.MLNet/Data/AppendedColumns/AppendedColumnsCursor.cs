using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Data.AppendedColumns;

/// <summary>
/// A cursor over an <see cref="AppendedColumnsBinding"/>'s schema that follows a cursor of the input row for row. A
/// transform that computes its columns for blocks of rows derives from it and sets <see cref="Outputs"/>.
/// </summary>
internal class AppendedColumnsCursor : DataViewRowCursor
{
    private readonly AppendedColumnsBinding _binding;
    private readonly HashSet<int> _active;

    public AppendedColumnsCursor(AppendedColumnsBinding binding, DataViewRowCursor input, HashSet<int> active)
    {
        _binding = binding;
        Input = input;
        _active = active;
    }

    protected DataViewRowCursor Input { get; }

    /// <summary>The appended columns' getters; by default the binding's row-at-a-time ones.</summary>
    protected IOutputGetters? Outputs { get; set; }

    public override DataViewSchema Schema => _binding.Schema;

    public override long Position => Input.Position;

    public override long Batch => Input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => Input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

    public override bool MoveNext() => Input.MoveNext();

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was created.");
        return _binding.GetGetter<TValue>(Input, column, Outputs ??= _binding.OutputsOf(Input));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Input.Dispose();
        base.Dispose(disposing);
    }
}
