using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Runs independent work items on up to <see cref="NumericsSettings.MaxDegreeOfParallelism"/> threads. Callers make
/// every item's arithmetic independent of which thread runs it, so results are identical for any thread count.
/// </summary>
internal static class ParallelWork
{
    private static ParallelOptions? _options;

    /// <summary>Set while this thread runs an item whose own parallel loops should stay on it (see <see cref="RunSerially"/>).</summary>
    [ThreadStatic]
    private static bool _serial;

    /// <summary>
    /// Runs <paramref name="body"/> with every <see cref="For"/> it makes kept on the calling thread: for items that
    /// are themselves whole products, run side by side, where splitting each again would only add hand-offs.
    /// </summary>
    public static void RunSerially(Action<int> body, int item)
    {
        bool outer = _serial;
        _serial = true;
        try
        {
            body(item);
        }
        finally
        {
            _serial = outer;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void For(int count, Action<int> body, bool worthParallelising = true)
    {
        int threads = NumericsSettings.MaxDegreeOfParallelism;
        if (count <= 0)
            return;
        if (count == 1 || threads == 1 || !worthParallelising || _serial)
        {
            for (int i = 0; i < count; i++)
                body(i);
            return;
        }
        if (WorkerPool.TryRun(count, threads, body))
            return;
        // The pool is in use (another caller, or a nested call): the shared thread pool takes this one.
        ParallelOptions options = _options is { } cached && cached.MaxDegreeOfParallelism == threads
            ? cached
            : _options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, count, options, body);
    }
}
