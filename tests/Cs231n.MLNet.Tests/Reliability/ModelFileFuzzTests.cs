using System.IO.Compression;
using System.Reflection;
using Microsoft.ML;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Reliability;

/// <summary>
/// Seeded mutations of saved pipelines, for every trainer: each load either succeeds and scores exactly as the
/// original, or throws one of the documented exception types — never crashes, hangs or allocates without bound.
/// </summary>
[TestClass]
public sealed class ModelFileFuzzTests
{
    private const int Dimension = 5;

    /// <summary>What a damaged file may throw: ours, ML.NET's and the zip reader's, possibly wrapped by ML.NET's reflection.</summary>
    private static readonly Type[] DocumentedExceptions =
    {
        typeof(CorruptModelException), typeof(FormatException), typeof(InvalidDataException), typeof(InvalidOperationException),
        typeof(ArgumentException), typeof(EndOfStreamException), typeof(IOException), typeof(NotSupportedException),
    };

    public static IEnumerable<object[]> Trainers => TrainerCatalog.All.Select(t => new object[] { t.Name });

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void MutatedModelFilesLoadIdenticallyOrFailCleanly(string trainerName) => Fuzz(trainerName, mutations: 150, seed: 1);

    [TestMethod]
    [TestCategory("Long")]
    [DynamicData(nameof(Trainers))]
    public void ThousandsOfMutatedModelFilesLoadIdenticallyOrFailCleanly(string trainerName) => Fuzz(trainerName, mutations: 1200, seed: 2);

    private static void Fuzz(string trainerName, int mutations, int seed)
    {
        var mlContext = new MLContext(seed: 1);
        var data = SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(30, 3, Dimension, 1.5f, seed: 3), Dimension);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label").Append(TrainerCatalog.Create(trainerName, mlContext)).Fit(data);
        var expected = ScoreReader.Scores(model.Transform(data));
        byte[] original = Save(mlContext, model, data);
        var otherTrainerEntry = ReadEntries(Save(mlContext,
            mlContext.Transforms.Conversion.MapValueToKey("Label").Append(mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 2)).Fit(data), data))
            .Single(e => e.Key.EndsWith("Transform_001/Model/Model.key", StringComparison.Ordinal)).Value;

        var random = new Random(seed);
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < mutations; i++)
        {
            var (kind, damaged) = Mutate(original, otherTrainerEntry, random, i);
            string outcome = Load(damaged, data, expected, $"{trainerName} mutation {i} ({kind})");
            string key = $"{kind}: {outcome}";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }
        Console.WriteLine($"{trainerName}: {mutations} mutations");
        foreach (var (key, count) in outcomes.OrderBy(o => o.Key))
            Console.WriteLine($"  {count,5}  {key}");
    }

    private static string Load(byte[] damaged, IDataView data, List<float[]> expected, string label)
    {
        long allocated = 0;
        var task = Task.Run(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var loaded = new MLContext(seed: 2).Model.Load(new MemoryStream(damaged), out _);
                ScoreReader.AssertBitIdentical(expected, ScoreReader.Scores(loaded.Transform(data)));
                return "loaded, identical scores";
            }
            catch (Exception e) when (e is not AssertFailedException)
            {
                var cause = e;
                while (cause is TargetInvocationException { InnerException: { } inner })
                    cause = inner;
                Assert.IsTrue(DocumentedExceptions.Any(t => t.IsInstanceOfType(cause)), $"{label}: undocumented {cause.GetType()}: {cause}");
                Assert.IsFalse(string.IsNullOrWhiteSpace(cause.Message), label);
                return cause is CorruptModelException ? "CorruptModelException" : cause.GetType().Name;
            }
            finally
            {
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        });
        Assert.IsTrue(task.Wait(TimeSpan.FromSeconds(20)), $"{label}: load did not finish in 20 s");
        Assert.IsTrue(allocated < 64L * 1024 * 1024 + 20L * damaged.Length, $"{label}: allocated {allocated} bytes for a {damaged.Length}-byte file");
        return task.Result;
    }

    private static (string Kind, byte[] Bytes) Mutate(byte[] original, byte[] otherTrainerEntry, Random random, int index)
    {
        switch (index % 6)
        {
            case 0:
                return ("truncated file", original.AsSpan(0, random.Next(original.Length)).ToArray());
            case 1:
            {
                var copy = (byte[])original.Clone();
                int flips = 1 + random.Next(3);
                for (int i = 0; i < flips; i++)
                    copy[random.Next(copy.Length)] ^= (byte)(1 + random.Next(255));
                return ("bytes flipped in the zip", copy);
            }
            case 2:
            {
                var entries = ReadEntries(original);
                entries.Remove(entries.Keys.ElementAt(random.Next(entries.Count)));
                return ("entry removed", WriteEntries(entries));
            }
            case 3:
            {
                var entries = ReadEntries(original);
                string a = entries.Keys.ElementAt(random.Next(entries.Count)), b = entries.Keys.ElementAt(random.Next(entries.Count));
                (entries[a], entries[b]) = (entries[b], entries[a]);
                return ("entries swapped", WriteEntries(entries));
            }
            case 4:
            {
                var entries = ReadEntries(original);
                entries[OurModelEntry(entries)] = otherTrainerEntry;
                return ("model entry replaced by another trainer's", WriteEntries(entries));
            }
            default:
            {
                var entries = ReadEntries(original);
                var ours = entries.Keys.Where(k => k.Contains("Transform_001", StringComparison.Ordinal)).ToArray();
                string target = ours[random.Next(ours.Length)];
                byte[] content = (byte[])entries[target].Clone();
                switch (random.Next(3))
                {
                    case 0:
                        content[random.Next(content.Length)] ^= (byte)(1 + random.Next(255));
                        break;
                    case 1:
                        content = content.AsSpan(0, random.Next(content.Length)).ToArray();
                        break;
                    default:
                        int at = random.Next(Math.Max(1, content.Length - 4)) & ~3;
                        BitConverter.GetBytes(random.Next(2) == 0 ? int.MaxValue : int.MinValue).CopyTo(content, Math.Min(at, content.Length - 4));
                        break;
                }
                entries[target] = content;
                return ("our entry damaged", WriteEntries(entries));
            }
        }
    }

    private static string OurModelEntry(Dictionary<string, byte[]> entries)
        => entries.Keys.Single(k => k.EndsWith("Transform_001/Model/Model.key", StringComparison.Ordinal));

    private static byte[] Save(MLContext mlContext, ITransformer model, IDataView data)
    {
        var stream = new MemoryStream();
        mlContext.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    private static Dictionary<string, byte[]> ReadEntries(byte[] zip)
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

    private static byte[] WriteEntries(Dictionary<string, byte[]> entries)
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
