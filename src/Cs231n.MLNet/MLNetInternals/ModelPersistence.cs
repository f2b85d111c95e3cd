using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>
/// Writes our models into ML.NET's model files, and reads them back (see <see cref="ModelLoader{TModel}"/>).
/// The learned state is written as one length-prefixed block followed by its SHA-256, so a damaged file can never
/// load as a different model: any change to the block is detected before a single field is parsed.
/// </summary>
internal static class ModelPersistence
{
    public static void Save<TModel>(ModelSaveContext context, TModel model)
        where TModel : class, IPersistedModel<TModel>
    {
        ArgumentNullException.ThrowIfNull(context);
        context.CheckAtModel();
        context.SetVersionInfo(TModel.Format.ToVersionInfo());
        WriteChecked(context.Writer, model.Write);
    }

    /// <summary>Writes what <paramref name="write"/> produces as length, bytes and SHA-256.</summary>
    public static void WriteChecked(BinaryWriter writer, Action<BinaryWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var payloadWriter = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            write(payloadWriter);
        writer.Write(buffer.Length);
        writer.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        writer.Write(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    /// <summary>
    /// The SHA-256 of <paramref name="model"/>'s saved learned state: the checksum that <see cref="WriteChecked"/>
    /// stores after it, computed without buffering the state.
    /// </summary>
    public static byte[] PayloadHash(Cs231nModelParameters model)
    {
        var persisted = model.GetType().GetInterfaces()
            .Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IPersistedModel<>));
        using var hashing = new Persistence.HashingStream();
        using (var writer = new BinaryWriter(hashing, System.Text.Encoding.UTF8, leaveOpen: true))
            persisted.GetMethod(nameof(IPersistedModel<object>.Write))!.Invoke(model, new object[] { writer });
        return hashing.Hash();
    }

    /// <summary>Reads a block written by <see cref="WriteChecked"/>, verifying its length and hash.</summary>
    public static ModelReader ReadChecked(BinaryReader reader, string modelName)
    {
        var header = new ModelReader(reader, modelName);
        long length = header.ReadInt64("PayloadLength", 0, int.MaxValue);
        byte[] payload = header.ReadBytes("Payload", length);
        byte[] hash = header.ReadBytes("PayloadHash", SHA256.HashSizeInBytes);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(hash))
            throw new CorruptModelException($"The saved {modelName} is corrupt: its checksum does not match its content. Save the model again from a trained pipeline.");
        return new ModelReader(new BinaryReader(new MemoryStream(payload, writable: false)), modelName);
    }
}

/// <summary>
/// The loader ML.NET finds through the <c>LoadableClass</c> registrations in <c>ModelRegistrations.cs</c> when a
/// model file names one of our loader signatures.
/// </summary>
internal static class ModelLoader<TModel> where TModel : class, IPersistedModel<TModel>
{
    // ML.NET's component catalog looks this method up by name and signature.
    public static TModel Create(IHostEnvironment environment, ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(context);
        ModelFormat format = TModel.Format;
        try
        {
            context.CheckAtModel(format.ToVersionInfo());
        }
        catch (Exception e) when (e is not CorruptModelException && LoadFailures.IsDamagedFile(e))
        {
            throw new CorruptModelException($"The model entry does not hold a readable {typeof(TModel).Name} ({e.Message}).", e);
        }
        DuplicateEntries.Refuse(context, typeof(TModel).Name);
        var reader = ModelPersistence.ReadChecked(context.Reader, typeof(TModel).Name);
        TModel model = TModel.Read(reader, context.Header.ModelVerWritten);
        reader.EnsureAtEnd();
        // Finite values can still be out of reach of single-precision scoring (weights near ±3.4e38): refuse them
        // here, as NaN weights are, rather than score every row into NaN.
        if (model is Cs231nModelParameters parameters && Scoring.SinglePrecisionRange.Problem(parameters) is string problem)
            throw new CorruptModelException($"The saved {typeof(TModel).Name} cannot be scored: {problem}. No training run produces such a model; save the model again from a trained pipeline.");
        return model;
    }
}
