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
        var expected = new Expected(ScoreReader.Scores(model.Transform(data)), ScoreReader.PredictedKeys(model.Transform(data)), PayloadHashOf(model));
        byte[] original = ModelArchive.Save(mlContext, model, data);
        var otherModels = OtherModelEntries(mlContext, data, trainerName);

        var random = new Random(seed);
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < mutations; i++)
        {
            var (kind, damaged) = Mutate(original, otherModels, random, i);
            string outcome = Load(damaged, data, expected, $"{trainerName} mutation {i} ({kind})");
            string key = $"{kind}: {outcome}";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }
        Console.WriteLine($"{trainerName}: {mutations} mutations");
        foreach (var (key, count) in outcomes.OrderBy(o => o.Key))
            Console.WriteLine($"  {count,5}  {key}");

        Assert.AreEqual(mutations, outcomes.Values.Sum(), "every case is classified");
        var wrong = outcomes.Where(o => !AcceptableOutcomes.Any(a => o.Key.EndsWith(": " + a, StringComparison.Ordinal))).ToList();
        Assert.AreEqual(0, wrong.Count, "unacceptable outcomes: " + string.Join("; ", wrong.Select(o => $"{o.Value} × {o.Key}")));
        // With the checksum recomputed, the damaged counts reach the reader's own checks, and those must hold.
        var counts = outcomes.Where(o => o.Key.StartsWith(CountKind, StringComparison.Ordinal)).ToList();
        Assert.IsTrue(counts.Sum(o => o.Value) > 0, "the count mutation ran");
        Assert.IsTrue(counts.All(o => o.Key.EndsWith(": " + CorruptField, StringComparison.Ordinal)),
            "a count made huge, negative or off by one must fail a field check: " + string.Join("; ", counts.Select(o => $"{o.Value} × {o.Key}")));
    }

    private const string CountKind = "count field changed, checksum recomputed";
    private const string Identical = "loaded, identical scores, labels and parameters";
    private const string CorruptField = "CorruptModelException at a field check";

    /// <summary>What a mutation may lead to: the same model, or a documented failure. Never a different model.</summary>
    private static readonly string[] AcceptableOutcomes =
        new[] { Identical, CorruptField, nameof(CorruptModelException) }.Concat(DocumentedExceptions.Skip(1).Select(t => t.Name)).ToArray();

    private sealed record Expected(List<float[]> Scores, List<uint> Keys, byte[] ModelHash);

    /// <summary>The checksum of every piece of learned state the loaded model holds, history included.</summary>
    private static byte[] PayloadHashOf(ITransformer model)
    {
        var transformer = ((IEnumerable<ITransformer>)model).Last();
        var parameters = (Cs231nModelParameters)transformer.GetType().GetProperty("Model")!.GetValue(transformer)!;
        return MLNetInternals.ModelPersistence.PayloadHash(parameters);
    }

    /// <summary>Model entries of other trainers, ours and ML.NET's, and of this trainer with other options, fitted on the same data.</summary>
    private static List<byte[]> OtherModelEntries(MLContext mlContext, IDataView data, string trainerName)
    {
        var trainers = new List<IEstimator<ITransformer>>
        {
            mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 2),
            mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(),
            mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 3, weighting: KnnWeighting.Distance),
        };
        // Enough epochs that every model learns something (a model that learns nothing is refused at Fit).
        trainers.AddRange(TrainerCatalog.All.Where(t => t.Name != trainerName).Select(t => t.Create(mlContext, 20)));
        trainers.Add(TrainerCatalog.Create(trainerName, mlContext, epochs: 10));
        return trainers.Select(trainer =>
        {
            var entries = ModelArchive.ReadEntries(ModelArchive.Save(mlContext, mlContext.Transforms.Conversion.MapValueToKey("Label").Append(trainer).Fit(data), data));
            return entries[OurModelEntry(entries)];
        }).ToList();
    }

    private static string Load(byte[] damaged, IDataView data, Expected expected, string label)
    {
        long allocated = 0;
        var task = Task.Run(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var loaded = new MLContext(seed: 2).Model.Load(new MemoryStream(damaged), out _);
                var scored = loaded.Transform(data);
                if (!SameScores(expected.Scores, ScoreReader.Scores(scored)))
                    return "loaded with different scores";
                if (!expected.Keys.SequenceEqual(ScoreReader.PredictedKeys(scored)))
                    return "loaded with different predicted labels";
                if (!expected.ModelHash.AsSpan().SequenceEqual(PayloadHashOf(loaded)))
                    return "loaded with different parameters";
                return Identical;
            }
            catch (Exception e)
            {
                var cause = e;
                while (cause is TargetInvocationException { InnerException: { } inner })
                    cause = inner;
                if (!DocumentedExceptions.Any(t => t.IsInstanceOfType(cause)))
                    return $"undocumented {cause.GetType().Name}: {cause.Message}";
                if (string.IsNullOrWhiteSpace(cause.Message))
                    return $"{cause.GetType().Name} without a message";
                if (cause is CorruptModelException)
                    return cause.Message.Contains("field '", StringComparison.Ordinal) ? CorruptField : nameof(CorruptModelException);
                // Named by the documented type it is (a FileLoadException is an IOException).
                return DocumentedExceptions.First(t => t.IsInstanceOfType(cause)).Name;
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

    private static bool SameScores(List<float[]> expected, List<float[]> actual)
        => expected.Count == actual.Count && expected.Zip(actual).All(p => p.First.Length == p.Second.Length
            && p.First.Zip(p.Second).All(v => BitConverter.SingleToInt32Bits(v.First) == BitConverter.SingleToInt32Bits(v.Second)));

    private static (string Kind, byte[] Bytes) Mutate(byte[] original, List<byte[]> otherModels, Random random, int index)
    {
        switch (index % 7)
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
                var entries = ModelArchive.ReadEntries(original);
                entries.Remove(entries.Keys.ElementAt(random.Next(entries.Count)));
                return ("entry removed", ModelArchive.WriteEntries(entries));
            }
            case 3:
            {
                var entries = ModelArchive.ReadEntries(original);
                string a = entries.Keys.ElementAt(random.Next(entries.Count)), b = entries.Keys.ElementAt(random.Next(entries.Count));
                (entries[a], entries[b]) = (entries[b], entries[a]);
                return ("entries swapped", ModelArchive.WriteEntries(entries));
            }
            case 4:
            {
                var entries = ModelArchive.ReadEntries(original);
                entries[OurModelEntry(entries)] = otherModels[random.Next(otherModels.Count)];
                return ("model entry replaced by another model's", ModelArchive.WriteEntries(entries));
            }
            case 5:
            {
                var entries = ModelArchive.ReadEntries(original);
                string target = OurModelEntry(entries);
                entries[target] = WithCountChanged(entries[target], random);
                return (CountKind, ModelArchive.WriteEntries(entries));
            }
            default:
            {
                var entries = ModelArchive.ReadEntries(original);
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
                return ("our entry damaged", ModelArchive.WriteEntries(entries));
            }
        }
    }

    /// <summary>
    /// Changes one of the first two counts of our learned-state block (class and feature counts; layer count and input
    /// size) to a huge, negative, zero or off-by-one value, and recomputes the block's SHA-256 so the damage gets past
    /// the checksum to the count checks.
    /// </summary>
    private static byte[] WithCountChanged(byte[] entry, Random random)
    {
        int start = FindCheckedBlock(entry);
        var content = (byte[])entry.Clone();
        int field = start + 8 + 4 * random.Next(2);
        int value = BitConverter.ToInt32(content, field);
        int[] replacements = new[] { int.MaxValue, int.MinValue, -1, 0, 1 << 30, value + 1, value - 1 }.Where(v => v != value).ToArray();
        BitConverter.GetBytes(replacements[random.Next(replacements.Length)]).CopyTo(content, field);
        long length = BitConverter.ToInt64(content, start);
        System.Security.Cryptography.SHA256.HashData(content.AsSpan(start + 8, (int)length)).CopyTo(content, start + 8 + (int)length);
        return content;
    }

    /// <summary>Where our length-prefixed, SHA-256-terminated block starts inside a model entry.</summary>
    private static int FindCheckedBlock(byte[] entry)
    {
        for (int start = 0; start + 8 + 32 <= entry.Length; start++)
        {
            long length = BitConverter.ToInt64(entry, start);
            if (length < 12 || length > entry.Length - start - 8 - 32)
                continue;
            var hash = System.Security.Cryptography.SHA256.HashData(entry.AsSpan(start + 8, (int)length));
            if (hash.AsSpan().SequenceEqual(entry.AsSpan(start + 8 + (int)length, 32)))
                return start;
        }
        throw new AssertFailedException("no checksummed block in the model entry");
    }

    private static string OurModelEntry(Dictionary<string, byte[]> entries)
        => entries.Keys.Single(k => k.EndsWith("Transform_001/Model/Model.key", StringComparison.Ordinal));

}
