using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Data;

namespace Cs231n.MLNet.Preprocessing;

/// <summary>
/// A fitted mean image bound to one input schema: every input column, then the mean-subtracted output column (which
/// hides a same-named input column, as ML.NET's transforms do). Shared by the lazy data view and the row mapper.
/// </summary>
internal sealed class MeanImageBinding
{
    private const string SlotNames = "SlotNames";
    private readonly float[] _mean;

    public MeanImageBinding(DataViewSchema input, string inputColumnName, string outputColumnName, float[] mean)
    {
        _mean = mean;
        Input = input;
        Source = ColumnChecks.Find(input, inputColumnName, "Input", "inputColumnName", MeanImageEstimator.Owner);
        ColumnChecks.CheckLength(Source, "Input", MeanImageEstimator.Owner, mean.Length, "the mean image was computed from",
            "featurize the data as at fitting time (same image size and colour channels)");
        var annotations = new DataViewSchema.Annotations.Builder();
        var slotNames = Source.Annotations.Schema.GetColumnOrNull(SlotNames);
        if (slotNames?.Type is VectorDataViewType { ItemType: TextDataViewType } names && names.Size == mean.Length)
        {
            var source = Source;
            annotations.Add(SlotNames, new VectorDataViewType(TextDataViewType.Instance, mean.Length), (ref VBuffer<ReadOnlyMemory<char>> value) => source.Annotations.GetValue(SlotNames, ref value));
        }
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(outputColumnName, new VectorDataViewType(NumberDataViewType.Single, mean.Length), annotations.ToAnnotations());
        Schema = builder.ToSchema();
        OutputIndex = input.Count;
    }

    public DataViewSchema Input { get; }

    public DataViewSchema Schema { get; }

    /// <summary>The input column the mean is subtracted from.</summary>
    public DataViewSchema.Column Source { get; }

    public int OutputIndex { get; }

    public bool IsOutput(int index) => index == OutputIndex;

    /// <summary>The input columns needed to produce <paramref name="outputColumns"/>.</summary>
    public DataViewSchema.Column[] InputColumnsFor(IEnumerable<DataViewSchema.Column> outputColumns)
    {
        var needed = new HashSet<int>();
        foreach (var column in outputColumns)
            needed.Add(IsOutput(column.Index) ? Source.Index : column.Index);
        return needed.Order().Select(i => Input[i]).ToArray();
    }

    /// <summary>A getter for any column of <see cref="Schema"/>, reading from a row of <see cref="Input"/>.</summary>
    public ValueGetter<TValue> GetGetter<TValue>(DataViewRow input, DataViewSchema.Column column)
    {
        if (!IsOutput(column.Index))
            return input.GetGetter<TValue>(Input[column.Index]);
        return MeanSubtracted(input) as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds VBuffer<Single>, not {typeof(TValue).Name}.");
    }

    private ValueGetter<VBuffer<float>> MeanSubtracted(DataViewRow input)
    {
        var source = input.GetGetter<VBuffer<float>>(Source);
        float[] mean = _mean;
        string name = Source.Name;
        VBuffer<float> row = default;
        return (ref VBuffer<float> value) =>
        {
            source(ref row);
            if (row.Length != mean.Length)
                throw new InvalidOperationException(
                    $"Input column '{name}' produced a row of {row.Length} values although its type promises {mean.Length}.");
            var editor = VBufferEditor.Create(ref value, mean.Length);
            // Densify: after centring almost no value is zero, so a sparse result would only cost more.
            row.CopyTo(editor.Values);
            TensorPrimitives.Subtract(editor.Values, mean, editor.Values);
            value = editor.Commit();
        };
    }
}
