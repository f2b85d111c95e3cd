using System.Collections.Concurrent;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Tests.Numerics;

[TestClass]
public sealed class ParallelWorkTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(4)]
    public void EveryItemRunsExactlyOnce(int threads)
    {
        using var scope = new NumericsSettingsScope(threads: threads);
        for (int round = 0; round < 200; round++)
        {
            int count = 1 + round % 37;
            var runs = new int[count];
            ParallelWork.For(count, i => Interlocked.Increment(ref runs[i]));
            CollectionAssert.AreEqual(Enumerable.Repeat(1, count).ToArray(), runs, $"round {round}");
        }
    }

    [TestMethod]
    public void NestedCallsRunEveryInnerItem()
    {
        using var scope = new NumericsSettingsScope(threads: 2);
        var runs = new int[8, 16];
        ParallelWork.For(8, outer => ParallelWork.For(16, inner => Interlocked.Increment(ref runs[outer, inner])));
        foreach (int r in runs)
            Assert.AreEqual(1, r);
    }

    [TestMethod]
    public void CallsFromSeveralThreadsAtOnceAllComplete()
    {
        using var scope = new NumericsSettingsScope(threads: 2);
        var totals = new ConcurrentBag<long>();
        Parallel.For(0, 8, _ =>
        {
            for (int round = 0; round < 50; round++)
            {
                long sum = 0;
                ParallelWork.For(20, i => Interlocked.Add(ref sum, i));
                totals.Add(sum);
            }
        });
        Assert.HasCount(400, totals);
        Assert.IsTrue(totals.All(t => t == 190));
    }

    [TestMethod]
    public void AnItemsExceptionReachesTheCallerAndThePoolStaysUsable()
    {
        using var scope = new NumericsSettingsScope(threads: 2);
        var error = Assert.ThrowsExactly<AggregateException>(() =>
            ParallelWork.For(64, i => { if (i == 5) throw new InvalidOperationException("item 5"); }));
        Assert.IsInstanceOfType<InvalidOperationException>(error.InnerExceptions[0]);
        var runs = new int[64];
        ParallelWork.For(64, i => Interlocked.Increment(ref runs[i]));
        Assert.IsTrue(runs.All(r => r == 1));
    }
}
