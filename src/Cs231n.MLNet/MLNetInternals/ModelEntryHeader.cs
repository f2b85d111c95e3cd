using Microsoft.ML;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>Reads the ML.NET header at the start of a model entry: which loader it names and where its data lies.</summary>
internal static class ModelEntryHeader
{
    /// <summary>The loader signature and the offset of the model data, or null if the bytes are not a model entry.</summary>
    public static (string LoaderSignature, long ModelOffset, long ModelLength)? TryRead(byte[] entry)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(entry, writable: false));
            ModelHeader.BeginRead(out long start, out ModelHeader header, out _, out _, reader);
            return (ModelHeader.GetLoaderSig(ref header), start + header.FpModel, header.CbModel);
        }
        catch (Exception e) when (LoadFailures.IsDamagedFile(e) || e is ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Verifies the length and SHA-256 of the checked block that starts the model data of one of our entries.</summary>
    public static void VerifyCheckedBlock(byte[] entry, long modelOffset, string entryName)
    {
        using var reader = new BinaryReader(new MemoryStream(entry, writable: false));
        reader.BaseStream.Position = modelOffset;
        ModelPersistence.ReadChecked(reader, $"model in entry '{entryName}'");
    }
}
