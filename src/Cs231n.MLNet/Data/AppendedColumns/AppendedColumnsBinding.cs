using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Data.AppendedColumns;

/// <summary>
/// A transform bound to one input schema, in the shape of ML.NET's row-to-row transforms: every input column, then
/// the columns it appends (which hide same-named input columns), all computed from one input column. The lazy data
/// views, their cursors and the row mapper of <c>PredictionEngine</c> share it; a transform says only how its columns
/// are computed (<see cref="OutputsOf"/>).
/// </summary>
internal abstract class AppendedColumnsBinding
{
    protected AppendedColumnsBinding(DataViewSchema input, DataViewSchema.Column source,
        params (string Name, DataViewType Type, DataViewSchema.Annotations Annotations)[] outputs)
    {
        Input = input;
        Source = source;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        foreach (var (name, type, annotations) in outputs)
            builder.AddColumn(name, type, annotations);
        Schema = builder.ToSchema();
    }

    public DataViewSchema Input { get; }

    /// <summary>Every input column, then the appended ones.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>The input column the appended columns are computed from.</summary>
    public DataViewSchema.Column Source { get; }

    public bool IsOutput(int index) => index >= Input.Count;

    /// <summary>The <paramref name="k"/>-th appended column (from 0) in <see cref="Schema"/>.</summary>
    public DataViewSchema.Column Output(int k) => Schema[Input.Count + k];

    /// <summary>The input columns needed to produce <paramref name="outputColumns"/>.</summary>
    public DataViewSchema.Column[] InputColumnsFor(IEnumerable<DataViewSchema.Column> outputColumns)
    {
        var needed = new HashSet<int>();
        foreach (var column in outputColumns)
            needed.Add(IsOutput(column.Index) ? Source.Index : column.Index);
        return needed.Order().Select(i => Input[i]).ToArray();
    }

    /// <summary>The appended columns' getters reading rows of <paramref name="input"/> one at a time.</summary>
    public abstract IOutputGetters OutputsOf(DataViewRow input);

    /// <summary>A getter for any column of <see cref="Schema"/>: input columns from <paramref name="input"/>, appended ones from <paramref name="outputs"/>.</summary>
    public ValueGetter<TValue> GetGetter<TValue>(DataViewRow input, DataViewSchema.Column column, IOutputGetters outputs)
        => IsOutput(column.Index) ? outputs.GetGetter<TValue>(column) : input.GetGetter<TValue>(Input[column.Index]);

    /// <summary>The error for a getter asked for the wrong value type.</summary>
    public static InvalidOperationException WrongType<TValue>(DataViewSchema.Column column)
        => new($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
}
