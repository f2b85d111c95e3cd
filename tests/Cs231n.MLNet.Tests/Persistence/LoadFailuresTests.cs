using System.Reflection;
using Cs231n.MLNet.MLNetInternals;

namespace Cs231n.MLNet.Tests.Persistence;

/// <summary>Only the failures of a damaged file become <see cref="CorruptModelException"/>; a bug in a loader surfaces as itself.</summary>
[TestClass]
public sealed class LoadFailuresTests
{
    [TestMethod]
    public void DamagedFileFailuresAreRecognisedThroughReflectionWrappers()
    {
        foreach (var damaged in new Exception[]
        {
            new FormatException("Corrupt model file"), new InvalidDataException("bad zip"), new EndOfStreamException(),
            new IOException("read error"), new InvalidOperationException("check failed"), new CorruptModelException("field"),
        })
        {
            Assert.IsTrue(LoadFailures.IsDamagedFile(damaged), damaged.GetType().Name);
            Assert.IsTrue(LoadFailures.IsDamagedFile(new TargetInvocationException(new TargetInvocationException(damaged))), $"wrapped {damaged.GetType().Name}");
        }
    }

    [TestMethod]
    public void BugsAreNotDisguisedAsDamagedFiles()
    {
        foreach (var bug in new Exception[]
        {
            new NullReferenceException(), new IndexOutOfRangeException(), new InvalidCastException(), new ArgumentException("bad argument"),
            new DivideByZeroException(), new OutOfMemoryException(),
        })
        {
            Assert.IsFalse(LoadFailures.IsDamagedFile(bug), bug.GetType().Name);
            Assert.IsFalse(LoadFailures.IsDamagedFile(new TargetInvocationException(bug)), $"wrapped {bug.GetType().Name}");
            Assert.AreSame(bug, LoadFailures.Cause(new TargetInvocationException(bug)));
        }
    }
}
