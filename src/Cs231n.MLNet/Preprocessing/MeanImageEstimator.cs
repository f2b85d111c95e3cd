using Microsoft.ML;
using Microsoft.ML.Runtime;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Preprocessing;
using Cs231n.MLNet.Data;

namespace Cs231n.MLNet;

/// <summary>
/// CS231n's mean-image subtraction as an ML.NET estimator: <see cref="Fit"/> computes the per-feature mean of a
/// float-vector column over the training rows, and the fitted <see cref="MeanImageTransformer"/> subtracts that same
/// mean from every row it sees later. Create it with <c>mlContext.Transforms.SubtractMeanImage(...)</c>.
/// </summary>
/// <remarks>
/// No built-in ML.NET normaliser does this. <c>NormalizeMeanVariance</c> by default (<c>fixZero: true</c>) does not
/// subtract the mean at all, and with <c>fixZero: false</c> it also divides every feature by its standard deviation;
/// <c>NormalizeGlobalContrast</c> subtracts each row's own scalar mean, not a per-feature mean over the training set.
/// </remarks>
public sealed class MeanImageEstimator : IEstimator<MeanImageTransformer>
{
    /// <summary>The transform's name in messages: the catalog method users call.</summary>
    internal const string Owner = "SubtractMeanImage";

    private readonly IHostEnvironment _environment;

    internal MeanImageEstimator(IHostEnvironment environment, string outputColumnName, string? inputColumnName)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        if (string.IsNullOrWhiteSpace(outputColumnName))
            throw new ArgumentException("The 'outputColumnName' of SubtractMeanImage must be a non-empty column name, e.g. \"Features\".", nameof(outputColumnName));
        if (inputColumnName is not null && string.IsNullOrWhiteSpace(inputColumnName))
            throw new ArgumentException("The 'inputColumnName' of SubtractMeanImage must be a non-empty column name, or null to read 'outputColumnName'.", nameof(inputColumnName));
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
    }

    /// <summary>The column the mean is computed from and subtracted from: a known-size vector of <see cref="float"/>.</summary>
    public string InputColumnName { get; }

    /// <summary>The column that receives the mean-subtracted vectors (it replaces a same-named input column).</summary>
    public string OutputColumnName { get; }

    /// <summary>Computes the mean of <see cref="InputColumnName"/> over every row of <paramref name="input"/>.</summary>
    /// <param name="input">The training data.</param>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or not a known-size vector of <see cref="float"/>.</exception>
    /// <exception cref="ArgumentException">The data has no row with only finite values.</exception>
    public MeanImageTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var channel = new TrainingChannel(_environment, Owner);
        var (mean, rowCount) = MeanImageAccumulator.Compute(input, InputColumnName, channel);
        return new MeanImageTransformer(mean, rowCount, InputColumnName, OutputColumnName);
    }

    /// <summary>The schema the fitted transformer will produce, checked before any data is read.</summary>
    /// <param name="inputSchema">The shape of the training data.</param>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a known-size vector of <see cref="float"/>.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var source = ColumnChecks.Find(inputSchema, InputColumnName, "Input", "inputColumnName", Owner);
        ColumnChecks.CheckFloatVector(source, "Input", Owner);
        return VectorShapes.WithFloatVector(inputSchema, OutputColumnName, source);
    }
}
