using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Data.AppendedColumns;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Onnx;
using Cs231n.MLNet.Scoring;

namespace Cs231n.MLNet;

/// <summary>
/// The transformer our trainers' <c>Fit</c> returns: it appends ML.NET's multiclass <c>PredictedLabel</c> and
/// <c>Score</c> columns, with the same types and annotations as a built-in trainer's, and scores rows in blocks
/// rather than one at a time. It saves and loads with <c>mlContext.Model.Save</c> / <c>Load</c>.
/// </summary>
/// <typeparam name="TModel">The learned model.</typeparam>
public sealed class MulticlassBatchPredictionTransformer<TModel> : ISingleFeaturePredictionTransformer<TModel>
    where TModel : Cs231nModelParameters
{
    /// <summary>How many rows are scored together when transforming a whole data view.</summary>
    internal const int BlockSize = 1024;

    internal MulticlassBatchPredictionTransformer(TModel model, string featureColumnName, DataViewSchema.Column trainingLabel,
        string scoreColumnName = DefaultScoreColumnName, string predictedLabelColumnName = DefaultPredictedLabelColumnName)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        FeatureColumnName = featureColumnName ?? throw new ArgumentNullException(nameof(featureColumnName));
        FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, model.FeatureCount);
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(trainingLabel.Name, trainingLabel.Type, trainingLabel.Annotations);
        TrainingLabelSchema = builder.ToSchema();
        ScoreColumnName = scoreColumnName;
        PredictedLabelColumnName = predictedLabelColumnName;
    }

    internal const string DefaultScoreColumnName = "Score";
    internal const string DefaultPredictedLabelColumnName = "PredictedLabel";

    /// <summary>The learned model.</summary>
    public TModel Model { get; }

    /// <summary>The name of the feature column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The type the feature column must have: a vector of <see cref="float"/> of the training length.</summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>The name of the label column at training time.</summary>
    public string LabelColumnName => TrainingLabelSchema[0].Name;

    /// <summary>The name of the appended score column.</summary>
    public string ScoreColumnName { get; }

    /// <summary>The name of the appended predicted-label column.</summary>
    public string PredictedLabelColumnName { get; }

    /// <summary>A one-column schema holding the training label column, with its key values.</summary>
    internal DataViewSchema TrainingLabelSchema { get; }

    /// <summary>Always true: the transformer maps each row independently, so <c>PredictionEngine</c> works.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The schema <see cref="Transform"/> produces for input of the given schema.</summary>
    /// <param name="inputSchema">The schema of the data to score.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return BindTo(inputSchema).Schema;
    }

    /// <summary>
    /// Appends the predicted label and the scores to <paramref name="input"/>; lazy, like every ML.NET transform. The
    /// result exports with <c>mlContext.Model.ConvertToOnnx</c> (except kNN with L1 distance, which throws
    /// <see cref="NotSupportedException"/> there).
    /// </summary>
    /// <param name="input">The data to score.</param>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bound = BindTo(input.Schema);
        var onnx = new MulticlassScoringGraphWriter(Model, FeatureColumnName,
            bound.PredictedLabelColumn, bound.ScoreColumn);
        return new OnnxExportableView(new ScoredDataView(input, bound, Model), input, onnx);
    }

    /// <summary>A row-at-a-time mapper, as <c>PredictionEngine</c> uses.</summary>
    /// <param name="inputSchema">The schema of the rows to score.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new AppendedColumnsRowMapper(BindTo(inputSchema));
    }

    private ScoredSchema BindTo(DataViewSchema inputSchema)
        => new(inputSchema, Model, FeatureColumnName, TrainingLabelSchema[0], ScoreColumnName, PredictedLabelColumnName);

    void ICanSaveModel.Save(ModelSaveContext ctx) => TransformerPersistence.Save(ctx, this);
}
