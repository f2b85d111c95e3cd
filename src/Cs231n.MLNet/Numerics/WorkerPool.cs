using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// A small set of persistent helper threads for <see cref="ParallelWork"/>: the calling thread runs items itself and up
/// to <c>threads − 1</c> helpers join it, each taking the next unclaimed item. A network step opens a dozen or more
/// parallel phases of tens of microseconds each; waking the shared thread pool for each one costs a noticeable part of
/// the step, while a helper that spins briefly between phases is already running when the next one opens.
/// </summary>
/// <remarks>
/// Helpers spin for <see cref="SpinMicroseconds"/> after their last item and then sleep on a monitor, so an idle process
/// burns no CPU. Which thread runs an item never changes its arithmetic (the callers' contract), so results stay
/// identical for any thread count. One caller at a time: a call made while the pool is busy (another thread, or a
/// nested call from inside an item) returns <see langword="false"/> and the caller falls back to the thread pool.
/// </remarks>
internal static class WorkerPool
{
    /// <summary>How long an idle helper keeps spinning before it sleeps: longer than the serial gaps of a training step.</summary>
    private const int SpinMicroseconds = 200;

    /// <summary>
    /// For how long of that an idle helper spins on the core without yielding it: the gaps between the products of one
    /// training step or benchmark loop. A helper that yields at once on a busy machine waits a whole scheduling turn to
    /// get a core back, and the next product starts without it; OpenMP runtimes spin in the same way.
    /// </summary>
    private const int BusySpinMicroseconds = 50;

    private static readonly long SpinTicks = Math.Max(1, Stopwatch.Frequency * SpinMicroseconds / 1_000_000);
    private static readonly long BusySpinTicks = Math.Max(1, Stopwatch.Frequency * BusySpinMicroseconds / 1_000_000);
    private static readonly object Gate = new();
    private static readonly List<Thread> Helpers = [];

    private static int _busy;
    private static long _generation;
    private static long _openGeneration;
    private static int _active;
    private static int _helpersWanted;
    private static int _next;
    private static int _count;
    private static Action<int>? _body;
    private static List<Exception>? _errors;

    [ThreadStatic]
    private static bool _insideItem;

    /// <summary>
    /// Runs <paramref name="body"/> for every index in [0, <paramref name="count"/>) on the calling thread and up to
    /// <paramref name="threads"/> − 1 helpers; <see langword="false"/> (nothing run) when the pool is in use.
    /// </summary>
    /// <exception cref="AggregateException">An item threw; as <see cref="Parallel.For(int, int, Action{int})"/> does.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRun(int count, int threads, Action<int> body)
    {
        if (_insideItem || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            return false;
        try
        {
            EnsureHelpers(threads - 1);
            _body = body;
            _count = count;
            _next = 0;
            _errors = null;
            _helpersWanted = threads - 1;
            long generation = _generation + 1;
            Volatile.Write(ref _openGeneration, generation);
            lock (Gate)
            {
                Volatile.Write(ref _generation, generation);
                Monitor.PulseAll(Gate);
            }
            RunItems();
            // Close the job: a helper that has not joined yet will see the closed generation and leave at once. The
            // exchange is a full fence, like the helper's increment of _active before it reads the generation, so either
            // this thread sees that helper as active and waits for it, or the helper sees the job closed: a late helper
            // can never run the next job's items with this job's body.
            Interlocked.Exchange(ref _openGeneration, 0);
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _active) != 0)
                spinner.SpinOnce(sleep1Threshold: -1);
            _body = null;
            if (_errors is { } errors)
                throw new AggregateException(errors);
            return true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunItems()
    {
        Action<int> body = _body!;
        int count = _count;
        _insideItem = true;
        try
        {
            int i;
            while ((i = Interlocked.Increment(ref _next) - 1) < count)
                body(i);
        }
        catch (Exception error)
        {
            // Claim the remaining items so the other threads stop too.
            Volatile.Write(ref _next, count);
            lock (Gate)
                (_errors ??= []).Add(error);
        }
        finally
        {
            _insideItem = false;
        }
    }

    private static void EnsureHelpers(int wanted)
    {
        while (Helpers.Count < wanted)
        {
            int index = Helpers.Count;
            var helper = new Thread(() => HelperLoop(index)) { IsBackground = true, Name = $"Cs231n.MLNet worker {index + 1}" };
            Helpers.Add(helper);
            helper.Start();
        }
    }

    private static void HelperLoop(int index)
    {
        long seen = Volatile.Read(ref _generation);
        while (true)
        {
            seen = WaitForJob(seen);
            if (index >= Volatile.Read(ref _helpersWanted))
                continue;
            Interlocked.Increment(ref _active);
            if (Volatile.Read(ref _openGeneration) == seen)
                RunItems();
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>Spins, then sleeps, until a generation newer than <paramref name="seen"/> is published; returns it.</summary>
    private static long WaitForJob(long seen)
    {
        long start = Stopwatch.GetTimestamp(), deadline = start + SpinTicks, busyUntil = start + BusySpinTicks;
        long generation;
        while ((generation = Volatile.Read(ref _generation)) == seen)
        {
            long now = Stopwatch.GetTimestamp();
            if (now < busyUntil)
            {
                Thread.SpinWait(16);
                continue;
            }
            if (now > deadline)
            {
                lock (Gate)
                {
                    while ((generation = Volatile.Read(ref _generation)) == seen)
                        Monitor.Wait(Gate);
                }
                return generation;
            }
            // After the busy spell, yield rather than pause: on a machine with more ready threads than cores, the spinning
            // helper gives its core to them (the caller's serial work among them) instead of holding it.
            Thread.Yield();
        }
        return generation;
    }
}
