using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Data;
using Cs231n.MLNet.Data.AppendedColumns;

namespace Cs231n.MLNet.Preprocessing;

/// <summary>
/// A fitted mean image bound to one input schema: every input column, then the mean-subtracted output column (which
/// hides a same-named input column, as ML.NET's transforms do).
/// </summary>
internal sealed class MeanImageBinding : AppendedColumnsBinding
{
    private const string SlotNames = "SlotNames";
    private readonly float[] _mean;

    public MeanImageBinding(DataViewSchema input, string inputColumnName, string outputColumnName, float[] mean)
        : this(input, FindSource(input, inputColumnName, mean.Length), outputColumnName, mean)
    {
    }

    private MeanImageBinding(DataViewSchema input, DataViewSchema.Column source, string outputColumnName, float[] mean)
        : base(input, source, (outputColumnName, new VectorDataViewType(NumberDataViewType.Single, mean.Length), SlotNamesOf(source, mean.Length)))
        => _mean = mean;

    private static DataViewSchema.Column FindSource(DataViewSchema input, string inputColumnName, int meanLength)
    {
        var source = ColumnChecks.Find(input, inputColumnName, "Input", "inputColumnName", MeanImageEstimator.Owner);
        ColumnChecks.CheckLength(source, "Input", MeanImageEstimator.Owner, meanLength, "the mean image was computed from",
            "featurize the data as at fitting time (same image size and colour channels)");
        return source;
    }

    /// <summary>The source's slot names carried over to the output, when it has them for every value.</summary>
    private static DataViewSchema.Annotations SlotNamesOf(DataViewSchema.Column source, int length)
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        var slotNames = source.Annotations.Schema.GetColumnOrNull(SlotNames);
        if (slotNames?.Type is VectorDataViewType { ItemType: TextDataViewType } names && names.Size == length)
            annotations.Add(SlotNames, new VectorDataViewType(TextDataViewType.Instance, length), (ref VBuffer<ReadOnlyMemory<char>> value) => source.Annotations.GetValue(SlotNames, ref value));
        return annotations.ToAnnotations();
    }

    public override IOutputGetters OutputsOf(DataViewRow input) => new MeanSubtracted(this, input);

    private sealed class MeanSubtracted(MeanImageBinding bound, DataViewRow input) : IOutputGetters
    {
        public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            => Subtracting() as ValueGetter<TValue> ?? throw WrongType<TValue>(column);

        private ValueGetter<VBuffer<float>> Subtracting()
        {
            var source = input.GetGetter<VBuffer<float>>(bound.Source);
            float[] mean = bound._mean;
            string name = bound.Source.Name;
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
}
