using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>
/// Reaches the <see cref="IHostEnvironment"/> behind ML.NET's public catalogs (<c>mlContext.MulticlassClassification.Trainers</c>,
/// <c>mlContext.Transforms</c>) and the context's own cancellation.
/// </summary>
internal static class MLNetEnvironment
{
    /// <summary>The environment (the <see cref="MLContext"/>) that owns a trainer catalog.</summary>
    public static IHostEnvironment From(MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return ((IInternalCatalog)catalog).Environment;
    }

    /// <summary>The environment (the <see cref="MLContext"/>) that owns a transforms catalog.</summary>
    public static IHostEnvironment From(TransformsCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return ((IInternalCatalog)catalog).Environment;
    }

    /// <summary>ML.NET's own cancellation, which is internal to <see cref="MLContext"/>.</summary>
    public static void Cancel(MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.CancelExecution();
    }
}
