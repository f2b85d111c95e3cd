using System.IO.Compression;
using Microsoft.ML;

namespace Cs231n.MLNet.Tests.TestSupport;

/// <summary>A saved model file as its zip entries, for tests that take files apart and put them back together.</summary>
public static class ModelArchive
{
    public static byte[] Save(MLContext mlContext, ITransformer model, IDataView data)
    {
        var stream = new MemoryStream();
        mlContext.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    public static Dictionary<string, byte[]> ReadEntries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        });
    }

    public static byte[] WriteEntries(Dictionary<string, byte[]> entries) => WriteEntries(entries.Select(e => (e.Key, e.Value)));

    /// <summary>Writes the entries in order; the same name may appear twice, as in a file appended to.</summary>
    public static byte[] WriteEntries(IEnumerable<(string Name, byte[] Content)> entries)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = archive.CreateEntry(name).Open();
                entry.Write(content);
            }
        }
        return stream.ToArray();
    }
}
