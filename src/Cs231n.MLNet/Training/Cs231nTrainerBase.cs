using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Training;
using Cs231n.MLNet.Data;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet;

/// <summary>
/// What every trainer of this package shares: validating its columns, reading the data into a dense matrix, logging
/// to the <see cref="MLContext"/>, and wrapping the learned model in a
/// <see cref="MulticlassBatchPredictionTransformer{TModel}"/>. A trainer adds only its learning algorithm.
/// </summary>
/// <typeparam name="TModel">The model the trainer learns.</typeparam>
public abstract class Cs231nTrainerBase<TModel> : ITrainerEstimator<MulticlassBatchPredictionTransformer<TModel>, TModel>
    where TModel : Cs231nModelParameters
{
    private readonly IHostEnvironment _environment;
    private readonly Cs231nTrainerOptions _options;

    private protected Cs231nTrainerBase(IHostEnvironment environment, Cs231nTrainerOptions options, string name, bool needsNormalization, bool supportsValidation)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Name = name;
        options.Validate(name);
        Info = TrainerInfos.InMemory(needsNormalization, supportsValidation);
    }

    /// <summary>The trainer's name, as used in log lines and messages.</summary>
    public string Name { get; }

    /// <summary>What ML.NET's tooling asks of a trainer: whether it wants normalised or cached input.</summary>
    public TrainerInfo Info { get; }

    /// <summary>Trains on <paramref name="input"/>.</summary>
    /// <param name="input">Training data with a key-typed label column and a float-vector feature column.</param>
    public MulticlassBatchPredictionTransformer<TModel> Fit(IDataView input) => Fit(input, validationData: null);

    /// <summary>Trains on <paramref name="trainData"/>, measuring <paramref name="validationData"/> as it goes where the trainer can.</summary>
    /// <param name="trainData">Training data with a key-typed label column and a float-vector feature column.</param>
    /// <param name="validationData">Held-out data with the same columns, or null.</param>
    public MulticlassBatchPredictionTransformer<TModel> Fit(IDataView trainData, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        var labelColumn = ColumnChecks.Find(trainData.Schema, _options.LabelColumnName, "Label", "labelColumnName");
        using var channel = new TrainingChannel(_environment, Name);
        var train = LabeledDatasetReader.Read(trainData, _options.LabelColumnName, _options.FeatureColumnName, "training", channel);
        LabeledDataset<float>? validation = null;
        if (validationData != null)
        {
            validation = LabeledDatasetReader.Read(validationData, _options.LabelColumnName, _options.FeatureColumnName, "validation", channel, train.FeatureCount);
            if (validation.ClassCount != train.ClassCount)
                throw new ArgumentOutOfRangeException(_options.LabelColumnName,
                    $"Label column '{_options.LabelColumnName}' has {validation.ClassCount} classes in the validation data but {train.ClassCount} in the training data; map both with the same MapValueToKey transformer.");
        }
        channel.Info($"{Name}: training on {train.Count} rows of {train.FeatureCount} features, {train.ClassCount} classes" +
            (validation != null ? $"; validating on {validation.Count} rows." : "."));
        if (FeatureScaleCheck.Warning(train, _options.FeatureColumnName, Name) is { } scaleWarning)
            channel.Warning(scaleWarning);
        TModel model = TrainModel(train, validation, channel);
        return new MulticlassBatchPredictionTransformer<TModel>(model, _options.FeatureColumnName, labelColumn);
    }

    /// <summary>The schema the fitted transformer will produce, checked before any data is read.</summary>
    /// <param name="inputSchema">The shape of the training data.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var label = ColumnChecks.Find(inputSchema, _options.LabelColumnName, "Label", "labelColumnName");
        var features = ColumnChecks.Find(inputSchema, _options.FeatureColumnName, "Feature", "featureColumnName");
        ColumnChecks.CheckLabel(label);
        ColumnChecks.CheckFloatVector(features, "Feature");
        return SchemaShapes.WithScoreColumns(inputSchema, label);
    }

    /// <summary>The learning algorithm: turn the dense training set (and optional validation set) into a model.</summary>
    private protected abstract TModel TrainModel(LabeledDataset<float> train, LabeledDataset<float>? validation, TrainingChannel channel);
}
