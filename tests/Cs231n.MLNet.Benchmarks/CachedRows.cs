using Microsoft.ML;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// ML.NET's <c>Data.Cache</c> fills on the first pass over it. The peers time from tensors already in memory, so the
/// benchmarks make that pass before a clock starts.
/// </summary>
internal static class CachedRows
{
    /// <summary>Runs one cursor over every column of <paramref name="data"/>, which fills a cached view.</summary>
    public static void Fill(IDataView data)
    {
        using var cursor = data.GetRowCursor(data.Schema);
        while (cursor.MoveNext())
        {
        }
    }
}
