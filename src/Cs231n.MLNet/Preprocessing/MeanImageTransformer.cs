using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Preprocessing;

namespace Cs231n.MLNet;

/// <summary>
/// Subtracts a fixed mean image — the per-feature mean of the training rows, learned by <see cref="MeanImageEstimator"/>
/// — from a float-vector column: <c>output[i] = input[i] − Mean[i]</c>. The output is dense (sparse input is
/// densified). Saves and loads with <c>mlContext.Model.Save</c> / <c>Load</c>, and works in a <c>PredictionEngine</c>.
/// </summary>
/// <remarks>
/// Distances between rows do not change under a common shift, so k-nearest neighbours with L1 or L2 distance predicts
/// the same with or without it (up to float rounding); cosine distance and the linear models and networks do change.
/// </remarks>
public sealed class MeanImageTransformer : ITransformer
{
    private readonly float[] _mean;

    internal MeanImageTransformer(float[] mean, long trainingRowCount, string inputColumnName, string outputColumnName)
    {
        _mean = mean ?? throw new ArgumentNullException(nameof(mean));
        if (mean.Length == 0)
            throw new ArgumentException("The mean image must have at least one value.", nameof(mean));
        TrainingRowCount = trainingRowCount;
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
    }

    /// <summary>The column the mean is subtracted from.</summary>
    public string InputColumnName { get; }

    /// <summary>The column that receives the mean-subtracted vectors.</summary>
    public string OutputColumnName { get; }

    /// <summary>The learned mean image: one value per feature, in the input column's slot order.</summary>
    public ReadOnlyMemory<float> Mean => _mean;

    /// <summary>Length of the vectors the transformer accepts: the length of <see cref="Mean"/>.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>How many training rows were averaged (rows with NaN or infinite values are not counted).</summary>
    public long TrainingRowCount { get; }

    /// <summary>Always true: each row is transformed on its own, so <c>PredictionEngine</c> works.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The schema <see cref="Transform"/> produces for input of the given schema.</summary>
    /// <param name="inputSchema">The schema of the data to transform.</param>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing, not a known-size vector of <see cref="float"/>, or not of length <see cref="FeatureCount"/>.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return BindTo(inputSchema).Schema;
    }

    /// <summary>Adds the mean-subtracted column to <paramref name="input"/>; lazy, like every ML.NET transform.</summary>
    /// <param name="input">The data to transform.</param>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing, not a known-size vector of <see cref="float"/>, or not of length <see cref="FeatureCount"/>.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MeanImageDataView(input, BindTo(input.Schema));
    }

    /// <summary>A row-at-a-time mapper, as <c>PredictionEngine</c> uses.</summary>
    /// <param name="inputSchema">The schema of the rows to transform.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new MeanImageRowMapper(BindTo(inputSchema));
    }

    private MeanImageBinding BindTo(DataViewSchema inputSchema) => new(inputSchema, InputColumnName, OutputColumnName, _mean);

    void ICanSaveModel.Save(ModelSaveContext ctx) => MeanImagePersistence.Save(ctx, this);
}
