namespace Cs231n.MLNet;

/// <summary>What <see cref="ModelFileCheck.Verify(string, long?)"/> looked at.</summary>
/// <param name="EntryCount">Entries in the archive.</param>
/// <param name="ExpandedBytes">Bytes of all entries once decompressed.</param>
/// <param name="CheckedModels">Models of this package whose learned state matched its SHA-256.</param>
public sealed record ModelFileCheckResult(int EntryCount, long ExpandedBytes, int CheckedModels);
