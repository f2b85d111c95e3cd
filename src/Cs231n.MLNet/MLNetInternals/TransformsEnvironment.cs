using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>Reaches the <see cref="IHostEnvironment"/> behind ML.NET's transforms catalog (<c>mlContext.Transforms</c>).</summary>
internal static class TransformsEnvironment
{
    /// <summary>The environment (the <see cref="MLContext"/>) that owns a transforms catalog.</summary>
    public static IHostEnvironment From(TransformsCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return ((IInternalCatalog)catalog).Environment;
    }
}
