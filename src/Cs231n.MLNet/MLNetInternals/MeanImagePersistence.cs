using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>
/// Saves and loads <see cref="MeanImageTransformer"/>: the two column names in the model's string table, then the
/// number of rows averaged, the feature count and the mean vector.
/// </summary>
internal static class MeanImagePersistence
{
    public static readonly ModelFormat Format = new("CS231MIM", "Cs231nMeanImage", Version: 0x00010001, OldestReadableVersion: 0x00010001);

    public static void Save(ModelSaveContext context, MeanImageTransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.CheckAtModel();
        context.SetVersionInfo(Format.ToVersionInfo());
        context.SaveNonEmptyString(transformer.InputColumnName);
        context.SaveNonEmptyString(transformer.OutputColumnName);
        var writer = context.Writer;
        writer.Write(transformer.TrainingRowCount);
        writer.Write(transformer.FeatureCount);
        foreach (float value in transformer.Mean.Span)
            writer.Write(value);
    }

    // ML.NET's component catalog looks this method up by name and signature (see ModelRegistrations.cs).
    public static MeanImageTransformer Create(IHostEnvironment environment, ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(context);
        const string name = nameof(MeanImageTransformer);
        try
        {
            context.CheckAtModel(Format.ToVersionInfo());
            string inputColumnName = context.LoadNonEmptyString();
            string outputColumnName = context.LoadNonEmptyString();
            long rowCount = context.Reader.ReadInt64();
            if (rowCount < 1)
                throw new CorruptModelException($"The saved {name} is corrupt: field 'TrainingRowCount': value {rowCount} is not positive. Save the model again from a fitted pipeline.");
            var reader = new ModelReader(context.Reader, name);
            int featureCount = reader.ReadInt32("FeatureCount", 1, int.MaxValue);
            float[] mean = reader.ReadSingles("Mean", featureCount);
            return new MeanImageTransformer(mean, rowCount, inputColumnName, outputColumnName);
        }
        catch (Exception e) when (e is not CorruptModelException and not OperationCanceledException)
        {
            throw new CorruptModelException($"The saved {name} could not be read: {e.Message}", e);
        }
    }
}
