using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Data;

namespace Cs231n.MLNet.Scoring;

/// <summary>
/// The output schema of a scoring transformer for one input schema: every input column, then
/// <c>PredictedLabel</c> and <c>Score</c> (which hide same-named input columns, as in ML.NET).
/// </summary>
internal sealed class ScoredSchema
{
    public ScoredSchema(DataViewSchema input, Cs231nModelParameters model, string featureColumnName,
        DataViewSchema.Column trainingLabel, string scoreColumnName, string predictedLabelColumnName)
    {
        Input = input;
        FeatureColumn = ColumnChecks.Find(input, featureColumnName, "Feature", "featureColumnName");
        ColumnChecks.CheckLength(FeatureColumn, "Feature", owner: null, model.FeatureCount, "the model was trained on",
            "apply the same featurization as at training (for images: the same ResizeImages width and height and the same ExtractPixels colours)");

        var (predicted, score) = ScoreColumns.Create(input, trainingLabel, model.ClassCount, predictedLabelColumnName, scoreColumnName);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(predicted.Name, predicted.Type, predicted.Annotations);
        builder.AddColumn(score.Name, score.Type, score.Annotations);
        Schema = builder.ToSchema();
        PredictedLabelIndex = input.Count;
        ScoreIndex = input.Count + 1;
    }

    public DataViewSchema Input { get; }

    public DataViewSchema Schema { get; }

    public DataViewSchema.Column FeatureColumn { get; }

    public int PredictedLabelIndex { get; }

    public int ScoreIndex { get; }

    public bool IsOutput(int index) => index >= Input.Count;

    /// <summary>
    /// The getter of an output column: input columns come from <paramref name="input"/>; <c>Score</c> and
    /// <c>PredictedLabel</c> from <paramref name="block"/> at the row <paramref name="currentRow"/> returns (which may
    /// score the block first).
    /// </summary>
    public ValueGetter<TValue> GetGetter<TValue>(DataViewRow input, DataViewSchema.Column column, ScoreBlock block, Func<int> currentRow)
    {
        if (!IsOutput(column.Index))
            return input.GetGetter<TValue>(Input[column.Index]);
        Delegate getter = column.Index == ScoreIndex
            ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => block.GetScores(currentRow(), ref value))
            : (ValueGetter<uint>)((ref uint value) => value = block.PredictedKeys[currentRow()]);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
    }
}
