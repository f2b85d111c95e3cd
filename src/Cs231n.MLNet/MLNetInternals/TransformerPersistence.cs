using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Data.IO;
using Microsoft.ML.Runtime;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>
/// Saves and loads <see cref="MulticlassBatchPredictionTransformer{TModel}"/>. The layout mirrors ML.NET's own
/// prediction transformers: the model in a sub-entry, the training label column (with its key values) as an empty
/// binary data view, then the column names, a checksum of the names, and (from version 2) the checksum of the model's
/// learned state, so that a file whose model entry was replaced by another valid model does not load.
/// </summary>
internal static class TransformerPersistence
{
    public static readonly ModelFormat Format = new("CS231PRD", "Cs231nMulticlassPredict", Version: ModelBindingVersion, OldestReadableVersion: 0x00010001);

    /// <summary>Adds the checksum of the model's learned state.</summary>
    private const uint ModelBindingVersion = 0x00010002;

    private const string ModelDirectory = "Model";
    private const string LabelSchemaStream = "TrainingLabelSchema.idv";

    public static void Save<TModel>(ModelSaveContext context, MulticlassBatchPredictionTransformer<TModel> transformer)
        where TModel : Cs231nModelParameters
    {
        ArgumentNullException.ThrowIfNull(context);
        context.CheckAtModel();
        context.SetVersionInfo(Format.ToVersionInfo());
        context.SaveModel(transformer.Model, ModelDirectory);
        var environment = new MLContext();
        var labelSchema = new MemoryStream();
        using (var channel = ((IHostEnvironment)environment).Start("Saving the training label schema"))
        {
            var saver = new BinarySaver(environment, new BinarySaver.Arguments { Silent = true });
            DataSaverUtils.SaveDataView(channel, saver, new EmptyDataView(environment, transformer.TrainingLabelSchema), labelSchema);
        }
        context.SaveBinaryStream(LabelSchemaStream, writer => writer.Write(labelSchema.GetBuffer(), 0, (int)labelSchema.Length));
        context.SaveNonEmptyString(transformer.FeatureColumnName);
        context.SaveNonEmptyString(transformer.ScoreColumnName);
        context.SaveNonEmptyString(transformer.PredictedLabelColumnName);
        // The class names and column names decide what users see: a damaged file must not load with different ones.
        context.Writer.Write(Fingerprint(labelSchema.ToArray(), transformer.FeatureColumnName, transformer.ScoreColumnName, transformer.PredictedLabelColumnName));
        context.Writer.Write(ModelPersistence.PayloadHash(transformer.Model));
    }

    private static byte[] Fingerprint(byte[] labelSchema, params string[] names)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(labelSchema);
        foreach (string name in names)
        {
            hash.AppendData(BitConverter.GetBytes(name.Length));
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
        }
        return hash.GetHashAndReset();
    }

    // ML.NET's component catalog looks this method up by name and signature (see ModelRegistrations.cs).
    public static ITransformer Create(IHostEnvironment environment, ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            context.CheckAtModel(Format.ToVersionInfo());
            DuplicateEntries.Refuse(context, "prediction transformer");
            context.LoadModel<Cs231nModelParameters, SignatureLoadModel>(environment, out var model, ModelDirectory);
            var stream = new MemoryStream();
            if (!context.TryLoadBinaryStream(LabelSchemaStream, reader => reader.BaseStream.CopyTo(stream)))
                throw new CorruptModelException($"The saved prediction transformer has no '{LabelSchemaStream}' entry.");
            string featureColumn = context.LoadNonEmptyString();
            string scoreColumn = context.LoadNonEmptyString();
            string predictedLabelColumn = context.LoadNonEmptyString();
            byte[] expected = new ModelReader(context.Reader, "prediction transformer").ReadBytes("Fingerprint", 32);
            if (!Fingerprint(stream.ToArray(), featureColumn, scoreColumn, predictedLabelColumn).AsSpan().SequenceEqual(expected))
                throw new CorruptModelException("The saved prediction transformer is corrupt: its class or column names do not match their checksum. Save the model again from a trained pipeline.");
            if (context.Header.ModelVerWritten >= ModelBindingVersion)
            {
                byte[] savedModel = new ModelReader(context.Reader, "prediction transformer").ReadBytes("ModelChecksum", 32);
                if (!ModelPersistence.PayloadHash(model).AsSpan().SequenceEqual(savedModel))
                    throw new CorruptModelException($"The saved prediction transformer is corrupt: its model entry holds a {model.GetType().Name} other than the one it was saved with. Save the model again from a trained pipeline.");
            }
            stream.Position = 0;
            var labelSchema = new BinaryLoader(environment, new BinaryLoader.Arguments(), stream).Schema;
            if (labelSchema.Count != 1)
                throw new CorruptModelException($"The saved training label schema has {labelSchema.Count} columns instead of 1.");
            if (labelSchema[0].Type is not KeyDataViewType key || key.Count != (ulong)model.ClassCount)
                throw new CorruptModelException($"The saved training label type {labelSchema[0].Type} does not match the model's {model.ClassCount} classes.");

            // Rebuild the transformer typed by the concrete model, as Fit returned it.
            var type = typeof(MulticlassBatchPredictionTransformer<>).MakeGenericType(model.GetType());
            return (ITransformer)Activator.CreateInstance(type, BindingFlags.NonPublic | BindingFlags.Instance, binder: null,
                new object[] { model, featureColumn, labelSchema[0], scoreColumn, predictedLabelColumn }, culture: null)!;
        }
        catch (Exception e) when (e is not CorruptModelException && LoadFailures.IsDamagedFile(e))
        {
            // ML.NET creates components by reflection: report the innermost cause, and let our own exception through.
            // Anything that is not how a damaged file shows (a NullReferenceException, say) is a bug and propagates.
            Exception cause = LoadFailures.Cause(e);
            if (cause is CorruptModelException corrupt)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(corrupt);
            throw new CorruptModelException($"The saved prediction transformer could not be read: {cause.Message}", cause);
        }
    }
}
