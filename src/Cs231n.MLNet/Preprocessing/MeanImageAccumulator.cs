using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Data;

namespace Cs231n.MLNet.Preprocessing;

/// <summary>
/// Computes the per-feature mean of a float-vector column in one pass. Sums are kept in <see cref="double"/> so the
/// result does not depend on how many rows there are beyond the final rounding to <see cref="float"/>. As ML.NET's
/// trainers do, rows with a NaN or infinite value are skipped and counted in the log.
/// </summary>
internal static class MeanImageAccumulator
{
    public static (float[] Mean, long RowCount) Compute(IDataView data, string columnName, TrainingChannel channel)
    {
        var column = ColumnChecks.Find(data.Schema, columnName, "Input", "inputColumnName", MeanImageEstimator.Owner);
        int featureCount = ColumnChecks.CheckFloatVector(column, "Input", MeanImageEstimator.Owner);
        var sums = new double[featureCount];
        var dense = new float[featureCount];
        long rows = 0, nonFinite = 0;
        using (var cursor = data.GetRowCursor(new[] { column }))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> row = default;
            while (cursor.MoveNext())
            {
                if ((cursor.Position & 1023) == 0)
                    channel.ThrowIfCancelled();
                getter(ref row);
                if (row.Length != featureCount)
                    throw new InvalidOperationException($"Input column '{columnName}' produced a row of {row.Length} values although its type promises {featureCount}.");
                row.CopyTo(dense);
                if (!Numerics.FiniteValues.All(dense))
                {
                    nonFinite++;
                    continue;
                }
                for (int i = 0; i < dense.Length; i++)
                    sums[i] += dense[i];
                rows++;
            }
        }

        if (nonFinite > 0)
            channel.Warning($"SubtractMeanImage skipped {nonFinite} rows with NaN or infinite values in '{columnName}' when computing the mean.");
        if (rows == 0)
            throw new ArgumentException(
                $"SubtractMeanImage cannot compute a mean of column '{columnName}': the data has no rows" +
                (nonFinite > 0 ? $" with finite values ({nonFinite} had NaN or infinite values)" : "") + ". Fit it on the training data.", nameof(data));
        var mean = new float[featureCount];
        for (int i = 0; i < mean.Length; i++)
            mean[i] = (float)(sums[i] / rows);
        channel.Info($"SubtractMeanImage: mean of '{columnName}' over {rows} rows of {featureCount} values.");
        return (mean, rows);
    }
}
