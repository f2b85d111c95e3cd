using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Onnx;
using Cs231n.MLNet.Preprocessing;
using Cs231n.MLNet.Data.AppendedColumns;

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
public sealed class MeanImageTransformer : ITransformer, IPersistedModel<MeanImageTransformer>
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

    /// <summary>
    /// Adds the mean-subtracted column to <paramref name="input"/>; lazy, like every ML.NET transform. The result
    /// exports with <c>mlContext.Model.ConvertToOnnx</c>.
    /// </summary>
    /// <param name="input">The data to transform.</param>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing, not a known-size vector of <see cref="float"/>, or not of length <see cref="FeatureCount"/>.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bound = BindTo(input.Schema);
        var onnx = new MeanImageGraphWriter(_mean, InputColumnName, bound.Output(0));
        return new OnnxExportableView(new AppendedColumnsDataView(input, bound), input, onnx);
    }

    /// <summary>A row-at-a-time mapper, as <c>PredictionEngine</c> uses.</summary>
    /// <param name="inputSchema">The schema of the rows to transform.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new AppendedColumnsRowMapper(BindTo(inputSchema));
    }

    private MeanImageBinding BindTo(DataViewSchema inputSchema) => new(inputSchema, InputColumnName, OutputColumnName, _mean);

    private static readonly ModelFormat Format = new("CS231MIM", "Cs231nMeanImage", Version: 0x00010001, OldestReadableVersion: 0x00010001);

    /// <summary>Column names are stored as UTF-8; longer ones are taken as damage.</summary>
    private const int MaxColumnNameBytes = 1 << 16;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static ModelFormat IPersistedModel<MeanImageTransformer>.Format => Format;

    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);

    void IPersistedModel<MeanImageTransformer>.Write(BinaryWriter writer)
    {
        WriteName(writer, InputColumnName);
        WriteName(writer, OutputColumnName);
        writer.Write(TrainingRowCount);
        writer.Write(FeatureCount);
        foreach (float value in _mean)
            writer.Write(value);
    }

    static MeanImageTransformer IPersistedModel<MeanImageTransformer>.Read(ModelReader reader, uint version)
    {
        string inputColumnName = ReadName(reader, nameof(InputColumnName));
        string outputColumnName = ReadName(reader, nameof(OutputColumnName));
        long rowCount = reader.ReadInt64(nameof(TrainingRowCount), 1, long.MaxValue);
        int featureCount = reader.ReadInt32(nameof(FeatureCount), 1, int.MaxValue);
        float[] mean = reader.ReadSingles(nameof(Mean), featureCount);
        return new MeanImageTransformer(mean, rowCount, inputColumnName, outputColumnName);
    }

    private static void WriteName(BinaryWriter writer, string name)
    {
        byte[] bytes = StrictUtf8.GetBytes(name);
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static string ReadName(ModelReader reader, string field)
    {
        int length = reader.ReadInt32(field, 1, MaxColumnNameBytes);
        byte[] bytes = reader.ReadBytes(field, length);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new CorruptModelException($"The saved {nameof(MeanImageTransformer)} is corrupt: field '{field}' is not valid UTF-8. Save the model again from a fitted pipeline.", e);
        }
    }
}
