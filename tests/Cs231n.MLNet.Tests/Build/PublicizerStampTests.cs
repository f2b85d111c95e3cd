extern alias publicizer;

using UpToDateStamp = publicizer::Cs231n.MLNet.Build.UpToDateStamp;

namespace Cs231n.MLNet.Tests.Build;

/// <summary>The publicized copies are remade when anything they are made from changes, and only then.</summary>
[TestClass]
public sealed class PublicizerStampTests
{
    [TestMethod]
    public void ACopyIsCurrentOnlyForTheSameInputsListAndTool()
    {
        string folder = Path.Combine(Path.GetTempPath(), "cs231n-stamp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string input = Path.Combine(folder, "in", "Microsoft.ML.Core.dll");
            Directory.CreateDirectory(Path.GetDirectoryName(input)!);
            File.WriteAllText(input, "assembly");
            string output = Path.Combine(folder, "Microsoft.ML.Core.dll");

            var first = new UpToDateStamp(folder, "Microsoft.ML.VersionInfo\n", [input]);
            Assert.IsFalse(first.IsCurrent(), "nothing written yet");
            File.WriteAllText(output, "copy");
            File.WriteAllText(Path.Combine(folder, "non-public-members.txt"), "index");
            first.Write();
            Assert.IsTrue(new UpToDateStamp(folder, "Microsoft.ML.VersionInfo\n", [input]).IsCurrent());

            Assert.IsFalse(new UpToDateStamp(folder, "Microsoft.ML.VersionInfo\nMicrosoft.ML.ModelHeader\n", [input]).IsCurrent(),
                "a changed allow-list remakes the copies");

            File.SetLastWriteTimeUtc(input, File.GetLastWriteTimeUtc(input).AddSeconds(5));
            Assert.IsFalse(new UpToDateStamp(folder, "Microsoft.ML.VersionInfo\n", [input]).IsCurrent(), "a changed input remakes them");

            StringAssert.Contains(first.Content, "tool " + typeof(UpToDateStamp).Assembly.ManifestModule.ModuleVersionId,
                "the tool's own build is part of the stamp, so a changed tool remakes them too");

            var current = new UpToDateStamp(folder, "Microsoft.ML.VersionInfo\n", [input]);
            current.Write();
            File.Delete(output);
            Assert.IsFalse(current.IsCurrent(), "a deleted copy is remade");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
