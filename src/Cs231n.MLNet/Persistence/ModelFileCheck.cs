using System.IO.Compression;
using Cs231n.MLNet.MLNetInternals;

namespace Cs231n.MLNet;

/// <summary>
/// A cheap look at a model file before <c>mlContext.Model.Load</c> touches it: the archive opens, its entries are
/// few and uniquely named, they expand to no more than a budget, and the learned state of this package's models
/// matches its SHA-256. Model files are code — ML.NET loads the assemblies they name — so this check does not make an
/// untrusted file safe to load; it turns away damaged and padded files (zip bombs, appended copies of an entry)
/// before ML.NET writes them to disk or allocates for them.
/// </summary>
public static class ModelFileCheck
{
    /// <summary>Most entries an archive may hold; a pipeline has a few per transformer.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Checks the model file at <paramref name="path"/>; throws <see cref="CorruptModelException"/> naming the first problem.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="maxExpandedBytes">Most bytes all entries together may expand to; by default 16 times the file's size, and at least 256 MiB.</param>
    /// <returns>What was checked.</returns>
    public static ModelFileCheckResult Verify(string path, long? maxExpandedBytes = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        return Verify(stream, maxExpandedBytes);
    }

    /// <summary>Checks a model file read from <paramref name="stream"/> (which must be seekable); throws <see cref="CorruptModelException"/> naming the first problem.</summary>
    /// <param name="stream">The model file's bytes.</param>
    /// <param name="maxExpandedBytes">Most bytes all entries together may expand to; by default 16 times the file's size, and at least 256 MiB.</param>
    /// <returns>What was checked.</returns>
    public static ModelFileCheckResult Verify(Stream stream, long? maxExpandedBytes = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
            throw new ArgumentException("The stream must be seekable; copy it to a MemoryStream or a file first.", nameof(stream));
        long budget = maxExpandedBytes ?? Math.Max(256L << 20, 16 * stream.Length);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new CorruptModelException($"The model file is not a readable zip archive: {e.Message}", e);
        }
        using (archive)
        {
            if (archive.Entries.Count > MaxEntries)
                throw new CorruptModelException($"The model file has {archive.Entries.Count} entries; a model file has at most {MaxEntries}.");
            var duplicate = archive.Entries.GroupBy(e => e.FullName.Replace('\\', '/'), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new CorruptModelException($"The model file has {duplicate.Count()} entries named '{duplicate.Key}'; ML.NET keeps the last one silently. The file was altered after saving.");

            long expanded = 0;
            int checkedModels = 0;
            foreach (var entry in archive.Entries)
            {
                byte[] content = ReadBounded(entry, budget - expanded);
                expanded += content.Length;
                if (!entry.FullName.EndsWith("Model.key", StringComparison.Ordinal))
                    continue;
                if (ModelEntryHeader.TryRead(content) is not { } header || !OurCheckedModels.Contains(header.LoaderSignature))
                    continue;
                ModelEntryHeader.VerifyCheckedBlock(content, header.ModelOffset, entry.FullName);
                checkedModels++;
            }
            return new ModelFileCheckResult(archive.Entries.Count, expanded, checkedModels);
        }
    }

    /// <summary>The loader signatures of our components whose learned state is written with a SHA-256.</summary>
    private static readonly HashSet<string> OurCheckedModels = new(StringComparer.Ordinal)
    {
        "Cs231nKnnModel", "Cs231nLinearModel", "Cs231nMlpModel", "Cs231nMeanImage",
    };

    /// <summary>The entry's bytes, counted as they expand, never more than <paramref name="budget"/>.</summary>
    private static byte[] ReadBounded(ZipArchiveEntry entry, long budget)
    {
        try
        {
            using var source = entry.Open();
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = source.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > budget)
                    throw new CorruptModelException(
                        $"The model file's entry '{entry.FullName}' expands beyond the {budget:N0} bytes left of the check's budget ({entry.CompressedLength:N0} bytes compressed). " +
                        "A padded or zip-bomb file; pass a larger maxExpandedBytes if the model is genuinely that large.");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new CorruptModelException($"The model file's entry '{entry.FullName}' cannot be decompressed: {e.Message}", e);
        }
    }
}
