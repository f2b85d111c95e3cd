using Microsoft.ML;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>
/// How one of our model types is named inside ML.NET model files. The assembly name written into every file is this
/// assembly's full name, so <see cref="System.Reflection.AssemblyName.Version"/> must stay fixed across releases.
/// </summary>
/// <param name="ModelSignature">Exactly 8 characters, unique among all ML.NET components.</param>
/// <param name="LoaderSignature">At most 24 characters, unique among all ML.NET components.</param>
/// <param name="Version">The format version written now; files of an older readable version still load.</param>
/// <param name="OldestReadableVersion">The oldest file version this code reads.</param>
internal sealed record ModelFormat(string ModelSignature, string LoaderSignature, uint Version, uint OldestReadableVersion)
{
    internal VersionInfo ToVersionInfo() => new(
        modelSignature: ModelSignature,
        verWrittenCur: Version,
        verReadableCur: OldestReadableVersion,
        verWeCanReadBack: OldestReadableVersion,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(ModelFormat).Assembly.FullName);
}
