using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>Writes our models into ML.NET's model files, and reads them back (see <see cref="ModelLoader{TModel}"/>).</summary>
internal static class ModelPersistence
{
    public static void Save<TModel>(ModelSaveContext context, TModel model)
        where TModel : class, IPersistedModel<TModel>
    {
        ArgumentNullException.ThrowIfNull(context);
        context.CheckAtModel();
        context.SetVersionInfo(TModel.Format.ToVersionInfo());
        model.Write(context.Writer);
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
        catch (Exception e) when (e is not CorruptModelException)
        {
            throw new CorruptModelException($"The model entry does not hold a readable {typeof(TModel).Name} ({e.Message}).", e);
        }
        var reader = new ModelReader(context.Reader, typeof(TModel).Name);
        return TModel.Read(reader, context.Header.ModelVerWritten);
    }
}
