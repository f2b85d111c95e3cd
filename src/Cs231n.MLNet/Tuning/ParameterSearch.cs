using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tuning;

/// <summary>
/// Hyper-parameter search for multiclass classifiers: scores every setting of a grid (or random sample) by
/// k-fold cross-validation or on a validation split, and reports each setting's scores and the best one.
/// </summary>
/// <example>
/// CS231n's choice of k and distance for k-nearest neighbours by 5-fold cross-validation:
/// <code>
/// var grid = new ParameterGrid()
///     .Add("k", 1, 3, 5, 8, 10, 12, 15, 20)
///     .Add("distance", KnnDistance.L1, KnnDistance.L2);
/// var result = new ParameterSearch(mlContext).CrossValidate(data, grid.Settings(),
///     s => featurePipeline.Append(knnFactory(s.Get&lt;int&gt;("k"), s.Get&lt;KnnDistance&gt;("distance"))));
/// Console.WriteLine(result.Best);
/// </code>
/// </example>
public sealed class ParameterSearch
{
    private readonly MLContext _mlContext;

    /// <summary>Creates a search that trains and evaluates with <paramref name="mlContext"/>.</summary>
    public ParameterSearch(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        _mlContext = mlContext;
    }

    /// <summary>
    /// Scores every setting by k-fold cross-validation (<c>MulticlassClassification.CrossValidate</c>) on the same
    /// folds, and summarises each metric by its mean and standard deviation over the folds.
    /// </summary>
    /// <param name="data">The data to split into folds.</param>
    /// <param name="settings">The settings to try, e.g. <see cref="ParameterGrid.Settings"/>; at least one.</param>
    /// <param name="estimatorFactory">Builds the whole pipeline (transforms and trainer) for a setting.</param>
    /// <param name="options">Folds, seed, label column and selection metric; defaults when null.</param>
    /// <param name="progress">Told when each setting starts and finishes; may be null.</param>
    /// <param name="cancellationToken">Stops the search between settings.</param>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it and the fix.</exception>
    /// <exception cref="InvalidOperationException">Training or evaluating a setting failed; the message names the setting.</exception>
    public ParameterSearchResult CrossValidate(
        IDataView data,
        IEnumerable<ParameterSetting> settings,
        Func<ParameterSetting, IEstimator<ITransformer>> estimatorFactory,
        ParameterSearchOptions? options = null,
        IProgress<ParameterSearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new ParameterSearchOptions();
        var list = ValidateCommon(settings, estimatorFactory, options);
        if (options.NumberOfFolds < 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.NumberOfFolds,
                $"The 'NumberOfFolds' option must be at least 2; got {options.NumberOfFolds}. Use TrainValidate for a single split.");
        if (options.SamplingKeyColumnName is not null)
            RequireColumn(data, options.SamplingKeyColumnName, nameof(options.SamplingKeyColumnName), "data");
        var rows = data.GetRowCount();
        if (rows is { } known && known < options.NumberOfFolds)
            throw new ArgumentException(
                $"The data has {known} rows, fewer than the {options.NumberOfFolds} folds; lower 'NumberOfFolds' or give more data.", nameof(data));

        return Run(SearchMode.CrossValidation, list, estimatorFactory, options, progress, cancellationToken, keepBestModel: false,
            estimator =>
            {
                var folds = _mlContext.MulticlassClassification.CrossValidate(
                    data, estimator, options.NumberOfFolds, options.LabelColumnName, options.SamplingKeyColumnName, options.Seed);
                return (folds.OrderBy(f => f.Fold).Select(f => f.Metrics).ToArray(), null);
            });
    }

    /// <summary>
    /// Scores every setting by fitting on <paramref name="train"/> and evaluating on <paramref name="validation"/>;
    /// keeps the best setting's model in <see cref="ParameterSearchResult.BestModel"/>.
    /// </summary>
    /// <param name="train">The data to fit on.</param>
    /// <param name="validation">The held-out data to evaluate on.</param>
    /// <param name="settings">The settings to try, e.g. <see cref="RandomSearchSpace.Sample"/>; at least one.</param>
    /// <param name="estimatorFactory">Builds the whole pipeline (transforms and trainer) for a setting.</param>
    /// <param name="options">Label column and selection metric (fold options are ignored); defaults when null.</param>
    /// <param name="progress">Told when each setting starts and finishes; may be null.</param>
    /// <param name="cancellationToken">Stops the search between settings.</param>
    /// <exception cref="ArgumentException">An argument or option is invalid; the message names it and the fix.</exception>
    /// <exception cref="InvalidOperationException">Training or evaluating a setting failed; the message names the setting.</exception>
    public ParameterSearchResult TrainValidate(
        IDataView train,
        IDataView validation,
        IEnumerable<ParameterSetting> settings,
        Func<ParameterSetting, IEstimator<ITransformer>> estimatorFactory,
        ParameterSearchOptions? options = null,
        IProgress<ParameterSearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        options ??= new ParameterSearchOptions();
        var list = ValidateCommon(settings, estimatorFactory, options);

        return Run(SearchMode.ValidationSplit, list, estimatorFactory, options, progress, cancellationToken, keepBestModel: true,
            estimator =>
            {
                var model = estimator.Fit(train);
                var metrics = _mlContext.MulticlassClassification.Evaluate(model.Transform(validation), options.LabelColumnName);
                return ([metrics], model);
            });
    }

    private ParameterSearchResult Run(
        SearchMode mode,
        IReadOnlyList<ParameterSetting> settings,
        Func<ParameterSetting, IEstimator<ITransformer>> estimatorFactory,
        ParameterSearchOptions options,
        IProgress<ParameterSearchProgress>? progress,
        CancellationToken cancellationToken,
        bool keepBestModel,
        Func<IEstimator<ITransformer>, (MulticlassClassificationMetrics[] Folds, ITransformer? Model)> score)
    {
        var total = Stopwatch.StartNew();
        var scores = new List<ParameterSettingScore>(settings.Count);
        ParameterSettingScore? best = null;
        ITransformer? bestModel = null;
        for (var i = 0; i < settings.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var setting = settings[i];
            progress?.Report(new ParameterSearchProgress(i, settings.Count, setting, null, total.Elapsed));

            var watch = Stopwatch.StartNew();
            var estimator = estimatorFactory(setting)
                ?? throw new InvalidOperationException($"The estimator factory returned null for setting {i} ({setting}); return an estimator.");
            MulticlassClassificationMetrics[] folds;
            ITransformer? model;
            try
            {
                (folds, model) = score(estimator);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException($"Training or evaluating setting {i} ({setting}) failed: {e.Message}", e);
            }
            var result = new ParameterSettingScore(i, setting, folds, watch.Elapsed);
            scores.Add(result);

            // Keeping only the best model so far bounds memory to one model, whatever the grid size.
            var metric = options.SelectionMetric;
            if (best is null || ParameterSearchResult.IsBetter(metric, result[metric].Mean, best[metric].Mean))
            {
                best = result;
                bestModel = keepBestModel ? model : null;
            }
            progress?.Report(new ParameterSearchProgress(i, settings.Count, setting, result, total.Elapsed));
        }
        return new ParameterSearchResult(mode, options.SelectionMetric, scores, total.Elapsed, bestModel);
    }

    private static IReadOnlyList<ParameterSetting> ValidateCommon(
        IEnumerable<ParameterSetting> settings,
        Func<ParameterSetting, IEstimator<ITransformer>> estimatorFactory,
        ParameterSearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(estimatorFactory);
        var list = settings.ToArray();
        if (list.Length == 0)
            throw new ArgumentException("There are no settings to search: the parameter grid or sample is empty; add at least one value per parameter.", nameof(settings));
        var nullAt = Array.IndexOf(list, null);
        if (nullAt >= 0)
            throw new ArgumentException($"Setting {nullAt} is null; remove it.", nameof(settings));
        if (!Enum.IsDefined(options.SelectionMetric))
            throw new ArgumentOutOfRangeException(nameof(options), options.SelectionMetric,
                $"The 'SelectionMetric' option {(int)options.SelectionMetric} is not a SearchMetric; use one of {string.Join(", ", Enum.GetNames<SearchMetric>())}.");
        if (string.IsNullOrWhiteSpace(options.LabelColumnName))
            throw new ArgumentException("The 'LabelColumnName' option must name the label column; got an empty name.", nameof(options));
        return list;
    }

    private static void RequireColumn(IDataView data, string column, string optionName, string dataName)
    {
        if (data.Schema.GetColumnOrNull(column) is null)
            throw new ArgumentException(
                $"The {dataName} has no column '{column}' (the '{optionName}' option); its columns are: " +
                $"{string.Join(", ", data.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}. Set '{optionName}' to one of them.",
                dataName);
    }
}
