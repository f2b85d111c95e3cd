using Microsoft.ML;

namespace Cs231n.MLNet;

/// <summary>
/// Saving that never damages an existing model file. ML.NET's <c>Model.Save(model, schema, path)</c> truncates the
/// file first, so a component that throws half-way leaves a broken zip where a good model was.
/// </summary>
public static class AtomicModelSaving
{
    /// <summary>
    /// Saves <paramref name="model"/> to a temporary file beside <paramref name="filePath"/>, flushes it to disk, then
    /// renames it over <paramref name="filePath"/>. If saving fails, the temporary file is deleted, the exception
    /// propagates, and whatever was at <paramref name="filePath"/> is untouched.
    /// </summary>
    /// <param name="catalog">ML.NET's model operations (<c>mlContext.Model</c>).</param>
    /// <param name="model">The fitted pipeline.</param>
    /// <param name="inputSchema">The schema of the data the pipeline takes, or null.</param>
    /// <param name="filePath">Where the model goes.</param>
    public static void SaveAtomically(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        string fullPath = Path.GetFullPath(filePath);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{filePath}' has no directory.", nameof(filePath));
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Cannot save the model to '{fullPath}': the directory '{directory}' does not exist.");

        // Same directory, so the final rename stays on one file system and is atomic.
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                catalog.Save(model, inputSchema, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
