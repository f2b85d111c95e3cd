using Cs231n.MLNet.MLNetInternals;

namespace Cs231n.MLNet.Tests.Persistence;

/// <summary>The defensive reader behind every model load: sizes are checked before anything is allocated.</summary>
[TestClass]
public sealed class ModelReaderTests
{
    private static ModelReader Over(Action<BinaryWriter> write)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            write(writer);
        stream.Position = 0;
        return new ModelReader(new BinaryReader(stream), "TestModel");
    }

    [TestMethod]
    public void HugeCountIsRejectedWithoutAllocating()
    {
        var reader = Over(w => { w.Write(1f); w.Write(2f); });
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.ThrowsExactly<CorruptModelException>(() => reader.ReadSingles("Weights", int.MaxValue));
        Assert.IsTrue(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "no large allocation");
        StringAssert.Contains(error.Message, "TestModel");
        StringAssert.Contains(error.Message, "'Weights'");
        StringAssert.Contains(error.Message, "2147483647 values do not fit in the 8 bytes left");
    }

    [TestMethod]
    public void OutOfRangeAndNonFiniteValuesAreNamed()
    {
        StringAssert.Contains(Assert.ThrowsExactly<CorruptModelException>(() => Over(w => w.Write(-4)).ReadInt32("ClassCount", 1, 100)).Message,
            "'ClassCount': value -4 is outside [1, 100]");
        StringAssert.Contains(Assert.ThrowsExactly<CorruptModelException>(() => Over(w => w.Write(float.NaN)).ReadSingles("Bias", 1)).Message,
            "'Bias': value NaN at position 0 is invalid");
        StringAssert.Contains(Assert.ThrowsExactly<CorruptModelException>(() => Over(w => w.Write(7)).ReadEnum<KnnDistance>("Distance")).Message,
            "'Distance': 7 is not a KnnDistance");
        StringAssert.Contains(Assert.ThrowsExactly<CorruptModelException>(() => Over(w => w.Write((short)1)).ReadInt32("K", 1, 5)).Message,
            "truncated");
    }

    [TestMethod]
    public void ChecksummedBlockDetectsAnyChange()
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            ModelPersistence.WriteChecked(writer, w => { w.Write(5); w.Write(1.5f); });
        byte[] good = stream.ToArray();
        var reader = ModelPersistence.ReadChecked(new BinaryReader(new MemoryStream(good)), "TestModel");
        Assert.AreEqual(5, reader.ReadInt32("K", 0, 10));
        Assert.AreEqual(1.5f, reader.ReadSingle("Scale"));
        reader.EnsureAtEnd();

        for (int i = 0; i < good.Length; i++)
        {
            byte[] damaged = (byte[])good.Clone();
            damaged[i] ^= 0x10;
            Assert.ThrowsExactly<CorruptModelException>(() => ModelPersistence.ReadChecked(new BinaryReader(new MemoryStream(damaged)), "TestModel"), $"flip at byte {i}");
        }
    }

    [TestMethod]
    public void HugeLengthPrefixIsRejectedBeforeAllocating()
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            writer.Write((long)int.MaxValue);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.ThrowsExactly<CorruptModelException>(() => ModelPersistence.ReadChecked(new BinaryReader(new MemoryStream(stream.ToArray())), "TestModel"));
        Assert.IsTrue(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        StringAssert.Contains(error.Message, "'Payload'");
    }
}
