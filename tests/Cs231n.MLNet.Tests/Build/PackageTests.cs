using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Build;

/// <summary>
/// Packs both packages from the sources, with the standard <c>--artifacts-path</c> output option, and reads what a
/// user would get: the core package must bring no graphics stack.
/// </summary>
[TestClass]
public sealed class PackageTests
{
    private static readonly string[] GraphicsPackages = ["SkiaSharp", "OxyPlot", "HarfBuzz"];

    [TestMethod]
    public void BothPackagesPackWithArtifactsPathAndTheCorePackageDependsOnlyOnMLNetAndTensors()
    {
        string root = RepositoryRoot.Find();
        string artifacts = Path.Combine(Path.GetTempPath(), "cs231n-pack-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Packing Reporting builds the core package too, into the same artifacts folder, so the core pack needs no build.
            // The CA analyzers only cost time here; the fence analyzer still runs.
            Dotnet(root, "pack", "src/Cs231n.MLNet.Reporting", "-c", "Release", "--artifacts-path", artifacts, "-nodeReuse:false", "-p:EnableNETAnalyzers=false");
            Dotnet(root, "pack", "src/Cs231n.MLNet", "-c", "Release", "--artifacts-path", artifacts, "--no-build", "-nodeReuse:false");

            var core = Dependencies(Package(artifacts, "Cs231n.MLNet"));
            CollectionAssert.AreEquivalent(new[] { "Microsoft.ML", "System.Numerics.Tensors" }, core.Keys.ToArray(),
                "core package dependencies: " + string.Join(", ", core.Select(d => $"{d.Key} {d.Value}")));
            Assert.AreEqual("[5.0.1]", core["Microsoft.ML"], "Microsoft.ML stays pinned exactly: saved models name it.");
            foreach (string graphics in GraphicsPackages)
                Assert.IsFalse(core.Keys.Any(id => id.Contains(graphics, StringComparison.OrdinalIgnoreCase)), graphics);

            var reporting = Dependencies(Package(artifacts, "Cs231n.MLNet.Reporting"));
            Assert.IsTrue(reporting.ContainsKey("Cs231n.MLNet"), "Reporting depends on the core package.");
            Assert.IsTrue(reporting.ContainsKey("OxyPlot.SkiaSharp"), "Reporting brings the chart library.");
            Assert.IsFalse(reporting.Keys.Concat(core.Keys).Any(id => id.StartsWith("Cs231n.MLNet.Publicizer", StringComparison.Ordinal) || id.StartsWith("Cs231n.MLNet.FenceAnalyzer", StringComparison.Ordinal)),
                "the build-time tools are never package dependencies");
        }
        finally
        {
            try { Directory.Delete(artifacts, recursive: true); } catch (IOException) { }
        }
    }

    private static string Package(string artifacts, string id)
    {
        var found = Directory.GetFiles(Path.Combine(artifacts, "package"), id + ".*.nupkg", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith(".symbols.nupkg", StringComparison.Ordinal) &&
                        char.IsDigit(Path.GetFileName(p)[(id.Length + 1)..][0]))
            .ToArray();
        Assert.AreEqual(1, found.Length, $"one {id} package in {artifacts}/package");
        return found[0];
    }

    private static Dictionary<string, string> Dependencies(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        var document = XDocument.Load(stream);
        return document.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);
    }

    private static void Dotnet(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A compiler server started by the build may keep the pipes open, so wait for the process, not for the pipes.
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', arguments)} did not finish within eight minutes:\n{Text(output)}");
        }
        Assert.AreEqual(0, process.ExitCode, $"dotnet {string.Join(' ', arguments)}:\n{Text(output)}");
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }
}
