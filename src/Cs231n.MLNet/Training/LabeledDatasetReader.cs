using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Data;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Training;

/// <summary>
/// Reads labelled rows out of an <see cref="IDataView"/> into a <see cref="LabeledDataset{T}"/> of <see cref="float"/>. As ML.NET's trainers do,
/// rows with a missing label or a non-finite feature are skipped and counted in the log.
/// </summary>
internal static class LabeledDatasetReader
{
    public static LabeledDataset<float> Read(IDataView data, string labelColumnName, string featureColumnName, string role,
        TrainingChannel channel, int? expectedFeatureCount = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labelColumn = ColumnChecks.Find(data.Schema, labelColumnName, "Label", "labelColumnName");
        var featureColumn = ColumnChecks.Find(data.Schema, featureColumnName, "Feature", "featureColumnName");
        int classCount = ColumnChecks.CheckLabel(labelColumn);
        int featureCount = ColumnChecks.CheckFloatVector(featureColumn, "Feature");
        if (expectedFeatureCount is int expected && expected != featureCount)
            throw new ArgumentOutOfRangeException(featureColumnName,
                $"Feature column '{featureColumnName}' of the {role} data has {featureCount} values per row but the training data has {expected}; featurize both the same way.");

        long? knownRows = data.GetRowCount();
        var features = new GrowableBuffer<float>(knownRows is long n ? CheckedCapacity(n * featureCount, featureColumnName) : featureCount * 1024L);
        var labels = new GrowableBuffer<int>(knownRows ?? 1024);
        long missingLabel = 0, nonFinite = 0;
        using (var cursor = data.GetRowCursor(new[] { labelColumn, featureColumn }))
        {
            var getLabel = cursor.GetGetter<uint>(labelColumn);
            var getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
            uint label = 0;
            VBuffer<float> row = default;
            while (cursor.MoveNext())
            {
                if ((cursor.Position & 1023) == 0)
                    channel.ThrowIfCancelled();
                getLabel(ref label);
                if (label == 0 || label > classCount)
                {
                    missingLabel++;
                    continue;
                }
                getFeatures(ref row);
                if (row.Length != featureCount)
                    throw new InvalidOperationException($"Feature column '{featureColumnName}' produced a row of {row.Length} values although its type promises {featureCount}.");
                Span<float> target = features.AppendSpan(featureCount, featureColumnName);
                // NormalizeMinMax and other transforms hand out sparse buffers even for dense rows: densify.
                row.CopyTo(target);
                if (!Numerics.FiniteValues.All(target))
                {
                    features.Truncate(features.Count - featureCount);
                    nonFinite++;
                    continue;
                }
                labels.Append((int)label - 1);
            }
        }

        if (missingLabel > 0)
            channel.Warning($"Skipped {missingLabel} {role} rows whose label '{labelColumnName}' is missing.");
        if (nonFinite > 0)
            channel.Warning($"Skipped {nonFinite} {role} rows with NaN or infinite values in '{featureColumnName}'.");
        if (labels.Count == 0)
            throw new ArgumentException(
                $"The {role} data has no usable rows: {missingLabel} had a missing label in '{labelColumnName}' and {nonFinite} had NaN or infinite features in '{featureColumnName}'. " +
                "Pass data with at least one labelled row of finite features.", nameof(data));
        return new LabeledDataset<float>(features.ToArray(), labels.ToArray(), featureCount, classCount)
        {
            LabelColumn = labelColumn,
            FeatureDimensions = ((VectorDataViewType)featureColumn.Type).Dimensions.ToArray(),
        };
    }


    private static long CheckedCapacity(long values, string featureColumnName)
    {
        long bytes = values * sizeof(float);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (values > Array.MaxLength || bytes > available)
            throw new InsufficientMemoryException(
                $"Training on '{featureColumnName}' needs {bytes / (1024.0 * 1024 * 1024):F1} GiB for the feature matrix ({values} floats) " +
                $"but this process can use {available / (1024.0 * 1024 * 1024):F1} GiB; train on fewer rows or features.");
        return values;
    }
}
