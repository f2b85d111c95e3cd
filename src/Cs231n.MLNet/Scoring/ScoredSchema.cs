using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Data;
using Cs231n.MLNet.Data.AppendedColumns;

namespace Cs231n.MLNet.Scoring;

/// <summary>
/// The output schema of a scoring transformer for one input schema: every input column, then
/// <c>PredictedLabel</c> and <c>Score</c> (which hide same-named input columns, as in ML.NET).
/// </summary>
internal sealed class ScoredSchema : AppendedColumnsBinding
{
    private readonly Cs231nModelParameters _model;

    public ScoredSchema(DataViewSchema input, Cs231nModelParameters model, string featureColumnName,
        DataViewSchema.Column trainingLabel, string scoreColumnName, string predictedLabelColumnName)
        : this(input, model, FindFeatures(input, model, featureColumnName),
            ScoreColumns.Create(input, trainingLabel, model.ClassCount, predictedLabelColumnName, scoreColumnName))
    {
    }

    private ScoredSchema(DataViewSchema input, Cs231nModelParameters model, DataViewSchema.Column features,
        (DataViewSchema.DetachedColumn Predicted, DataViewSchema.DetachedColumn Score) columns)
        : base(input, features,
            (columns.Predicted.Name, columns.Predicted.Type, columns.Predicted.Annotations),
            (columns.Score.Name, columns.Score.Type, columns.Score.Annotations))
        => _model = model;

    private static DataViewSchema.Column FindFeatures(DataViewSchema input, Cs231nModelParameters model, string featureColumnName)
    {
        var column = ColumnChecks.Find(input, featureColumnName, "Feature", "featureColumnName");
        ColumnChecks.CheckLength(column, "Feature", owner: null, model.FeatureCount, "the model was trained on",
            "apply the same featurization as at training (for images: the same ResizeImages width and height and the same ExtractPixels colours)");
        return column;
    }

    public DataViewSchema.Column FeatureColumn => Source;

    public DataViewSchema.Column PredictedLabelColumn => Output(0);

    public DataViewSchema.Column ScoreColumn => Output(1);

    /// <summary>Scores each row on its own when one of the output columns is first read for it.</summary>
    public override IOutputGetters OutputsOf(DataViewRow input)
    {
        var block = new ScoreBlock(_model, capacity: 1);
        ValueGetter<VBuffer<float>>? features = null;
        VBuffer<float> row = default;
        long scoredPosition = -1;
        return new BlockOutputs(this, block, () =>
        {
            if (scoredPosition != input.Position || input.Position < 0)
            {
                features ??= input.GetGetter<VBuffer<float>>(Source);
                features(ref row);
                block.Clear();
                block.Add(row, Source.Name);
                block.Score();
                scoredPosition = input.Position;
            }
            return 0;
        });
    }

    /// <summary>
    /// <c>Score</c> and <c>PredictedLabel</c> read from a block of scored rows, at the row <paramref name="currentRow"/>
    /// returns (which may score the block first).
    /// </summary>
    public sealed class BlockOutputs(ScoredSchema bound, ScoreBlock block, Func<int> currentRow) : IOutputGetters
    {
        public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Index == bound.ScoreColumn.Index
                ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => block.GetScores(currentRow(), ref value))
                : (ValueGetter<uint>)((ref uint value) => value = block.PredictedKeys[currentRow()]);
            return getter as ValueGetter<TValue> ?? throw WrongType<TValue>(column);
        }
    }
}
