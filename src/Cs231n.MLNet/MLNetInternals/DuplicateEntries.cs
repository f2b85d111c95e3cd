using Microsoft.ML;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>
/// A model file whose archive holds two entries of the same name: ML.NET's repository reader keeps the last and
/// loads it silently, so a second copy appended to a file would replace the model that was saved. Our loaders look
/// at the archive and refuse duplicates of their own entries.
/// </summary>
internal static class DuplicateEntries
{
    /// <summary>Throws <see cref="CorruptModelException"/> if an entry under the loading component's directory appears twice.</summary>
    public static void Refuse(ModelLoadContext context, string componentName)
    {
        var archive = context.Repository?._archive;
        if (archive is null || string.IsNullOrEmpty(context.Directory))
            return;
        string prefix = Normalize(context.Directory).TrimEnd('/') + "/";
        var duplicate = archive.Entries
            .Select(e => Normalize(e.FullName))
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .GroupBy(name => name, StringComparer.Ordinal)
            .FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new CorruptModelException(
                $"The model file holds {duplicate.Count()} entries named '{duplicate.Key}' of the saved {componentName}; a file written by ML.NET has one. " +
                "Do not load it: it was altered after saving. Save the model again from a trained pipeline.");
    }

    private static string Normalize(string path) => path.Replace('\\', '/');
}
