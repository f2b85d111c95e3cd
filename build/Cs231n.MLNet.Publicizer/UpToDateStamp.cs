using System.Security.Cryptography;
using System.Text;

namespace Cs231n.MLNet.Build;

/// <summary>
/// Decides whether the publicized copies are current. They depend on three things, and a change to any of them
/// regenerates them: the input assemblies (path, size, time), the allow-list's text, and this tool's own build.
/// </summary>
internal sealed class UpToDateStamp
{
    private const string FileName = "publicizer.stamp";
    private readonly string _path;
    private readonly string _content;
    private readonly IReadOnlyList<string> _outputs;

    /// <summary>Describes one run of the tool.</summary>
    public UpToDateStamp(string outputDirectory, string allowListText, IReadOnlyList<string> inputs)
    {
        _path = Path.Combine(outputDirectory, FileName);
        _outputs = inputs.Select(input => Path.Combine(outputDirectory, Path.GetFileName(input)))
            .Append(Path.Combine(outputDirectory, AllowList.NonPublicIndexFileName)).ToArray();
        var content = new StringBuilder();
        // Deterministic builds give the tool a new module version id exactly when its code changes.
        content.AppendLine("tool " + typeof(UpToDateStamp).Assembly.ManifestModule.ModuleVersionId);
        content.AppendLine("allow-list " + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(allowListText))));
        foreach (string input in inputs)
        {
            var file = new FileInfo(input);
            content.AppendLine($"input {file.FullName} {file.Length} {file.LastWriteTimeUtc.Ticks}");
        }
        _content = content.ToString();
    }

    /// <summary>The stamp's text: what the copies were made from.</summary>
    public string Content => _content;

    /// <summary>Whether every copy exists and was made from exactly these inputs, this list and this tool.</summary>
    public bool IsCurrent() =>
        File.Exists(_path) && _outputs.All(File.Exists) && File.ReadAllText(_path) == _content;

    /// <summary>Records that the copies were made from these inputs; written last, after every copy.</summary>
    public void Write() => File.WriteAllText(_path, _content);
}
