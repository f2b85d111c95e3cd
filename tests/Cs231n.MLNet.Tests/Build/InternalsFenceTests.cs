extern alias publicizer;

using System.Collections.Immutable;
using Cs231n.MLNet.Build;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Cs231n.MLNet.Tests.TestSupport;
using AllowList = publicizer::Cs231n.MLNet.Build.AllowList;
using Publicizer = publicizer::Cs231n.MLNet.Build.Publicizer;

namespace Cs231n.MLNet.Tests.Build;

/// <summary>
/// The fence around ML.NET internals, end to end on the real allow-list and the real ML.NET assemblies: publicized
/// as the build does it, then code compiled with the fence analyzer as if it were a file of the package.
/// </summary>
[TestClass]
public sealed class InternalsFenceTests
{
    private static readonly string[] PublicizedNames = ["Microsoft.ML.Core", "Microsoft.ML.Data", "Microsoft.ML.StandardTrainers", "Microsoft.ML.Transforms"];
    private static string AllowListText = string.Empty;
    private static string PublicizedFolder = string.Empty;
    private static string NonPublicIndexText = string.Empty;
    private static ImmutableArray<MetadataReference> References;

    [ClassInitialize]
    public static void PublicizeTheRealAssemblies(TestContext context)
    {
        string listPath = Path.Combine(RepositoryRoot.Find(), "build", "Cs231n.MLNet.Publicizer", AllowList.FileName);
        AllowListText = File.ReadAllText(listPath);
        var allowList = AllowList.Parse(AllowListText, out var syntaxErrors);
        Assert.AreEqual(0, syntaxErrors.Count, string.Join("\n", syntaxErrors));

        PublicizedFolder = Path.Combine(Path.GetTempPath(), "cs231n-fence-" + Guid.NewGuid().ToString("N"));
        var inputs = PublicizedNames.Select(name => Path.Combine(AppContext.BaseDirectory, name + ".dll")).ToArray();
        using (var publicizer = new Publicizer(inputs))
        {
            var problems = publicizer.Apply(allowList);
            Assert.AreEqual(0, problems.Count, "every allow-list entry names an internal that exists:\n" + string.Join("\n", problems));
            Directory.CreateDirectory(PublicizedFolder);
            publicizer.WriteAll(PublicizedFolder);
        }
        NonPublicIndexText = File.ReadAllText(Path.Combine(PublicizedFolder, AllowList.NonPublicIndexFileName));

        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => !PublicizedNames.Contains(Path.GetFileNameWithoutExtension(path)));
        References = platform.Concat(PublicizedNames.Select(name => Path.Combine(PublicizedFolder, name + ".dll")))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    [ClassCleanup]
    public static void DeletePublicizedCopies()
    {
        try { Directory.Delete(PublicizedFolder, recursive: true); } catch (IOException) { }
    }

    private const string UsesPersistenceInternals = """
        internal static class Probe
        {
            public static object Header(Microsoft.ML.ModelLoadContext context) => context.Header;
            public static System.IO.BinaryWriter Writer(Microsoft.ML.ModelSaveContext context) => context.Writer;
        }
        """;

    [TestMethod]
    public void AnInternalUsedOutsideMLNetInternalsFailsTheBuildNamingTheMemberAndItsEntry()
    {
        var diagnostics = Compile("src/Cs231n.MLNet/Neighbors/Probe.cs", UsesPersistenceInternals);

        var fence = diagnostics.Where(d => d.Id == "CS231N001").ToList();
        Assert.IsTrue(fence.All(d => d.Severity == DiagnosticSeverity.Error), "the fence is an error, not a warning");
        var messages = fence.Select(d => d.GetMessage()).ToList();
        Assert.IsTrue(messages.Any(m => m.Contains("'Microsoft.ML.ModelLoadContext.Header'") && m.Contains("entry 'Microsoft.ML.ModelLoadContext::Header'")), string.Join("\n", messages));
        Assert.IsTrue(messages.Any(m => m.Contains("'Microsoft.ML.ModelSaveContext.Writer'") && m.Contains("entry 'Microsoft.ML.ModelSaveContext::Writer'")), string.Join("\n", messages));
        Assert.IsTrue(messages.Any(m => m.Contains("'Microsoft.ML.ModelLoadContext'")), "the internal type itself is reported too");
        Assert.IsFalse(diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS231N001"), string.Join("\n", diagnostics));
    }

    [TestMethod]
    public void TheSameCodeInsideMLNetInternalsCompiles()
    {
        var diagnostics = Compile("src/Cs231n.MLNet/MLNetInternals/Probe.cs", UsesPersistenceInternals);

        Assert.AreEqual(0, diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error), string.Join("\n", diagnostics));
    }

    [TestMethod]
    public void TheOnnxExportInternalsAreOnTheList()
    {
        var diagnostics = Compile("src/Cs231n.MLNet/MLNetInternals/Probe.cs", """
            internal abstract class Probe : Microsoft.ML.Data.IDataTransform, Microsoft.ML.Model.OnnxConverter.ITransformCanSaveOnnx
            {
                public abstract Microsoft.ML.IDataView Source { get; }
                public abstract bool CanShuffle { get; }
                public abstract Microsoft.ML.DataViewSchema Schema { get; }
                public abstract long? GetRowCount();
                public abstract Microsoft.ML.DataViewRowCursor GetRowCursor(System.Collections.Generic.IEnumerable<Microsoft.ML.DataViewSchema.Column> columnsNeeded, System.Random? rand = null);
                public abstract Microsoft.ML.DataViewRowCursor[] GetRowCursorSet(System.Collections.Generic.IEnumerable<Microsoft.ML.DataViewSchema.Column> columnsNeeded, int n, System.Random? rand = null);
                public abstract void Save(Microsoft.ML.ModelSaveContext ctx);
                public bool CanSaveOnnx(Microsoft.ML.Model.OnnxConverter.OnnxContext ctx) => true;
                public void SaveAsOnnx(Microsoft.ML.Model.OnnxConverter.OnnxContext ctx)
                {
                    string input = ctx.GetVariableName("Features");
                    string output = ctx.AddIntermediateVariable(null, "Scores", true);
                    ctx.CreateNode("Identity", input, output, ctx.GetNodeName("Identity"), "");
                }
            }
            """);

        Assert.AreEqual(0, diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error), string.Join("\n", diagnostics));
    }

    [TestMethod]
    public void AnInternalMissingFromTheListNamesTheExactLineToAdd()
    {
        var diagnostics = Compile("src/Cs231n.MLNet/MLNetInternals/Probe.cs", """
            internal static class Probe
            {
                public static bool Cursor(Microsoft.ML.IDataView view) => Microsoft.ML.Data.DataViewUtils.IsSameCursor(null!, null!);
            }
            """);

        var hint = diagnostics.Where(d => d.Id == "CS231N002").Select(d => d.GetMessage()).ToList();
        Assert.AreEqual(1, hint.Count, string.Join("\n", diagnostics));
        StringAssert.Contains(hint[0], "add 'Microsoft.ML.Data.DataViewUtils' to build/Cs231n.MLNet.Publicizer/allowed-internals.txt");
        Assert.IsTrue(diagnostics.Any(d => d.Id == "CS0122"), "the compiler itself refuses the inaccessible member");
    }

    [TestMethod]
    public void AnInternalMemberTheCompilerCannotSeeNamesItsLinesToo()
    {
        // The compiler does not load ML.NET's non-public members, so it reports "no such member"; the fence analyzer
        // finds the member in the publicizer's index and names the lines for the type and the member.
        var diagnostics = Compile("src/Cs231n.MLNet/MLNetInternals/Probe.cs", """
            internal static class Probe
            {
                public static string Directory(Microsoft.ML.ModelSaveContext context) => context.Directory;
            }
            """);

        var hints = diagnostics.Where(d => d.Id == "CS231N002").Select(d => d.GetMessage()).ToList();
        // (RepositoryReader::_archive, the other example once, is on the list now: the duplicate-entry check uses it.)
        Assert.AreEqual(1, hints.Count, string.Join("\n", diagnostics));
        Assert.IsTrue(hints.Any(h => h.Contains("add 'Microsoft.ML.ModelSaveContext::Directory' to")), string.Join("\n", hints));
    }

    private static ImmutableArray<Diagnostic> Compile(string path, string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: path);
        var compilation = CSharpCompilation.Create("Cs231n.MLNet", [tree], References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var options = new AnalyzerOptions(
            [
                new InMemoryText("/repo/build/Cs231n.MLNet.Publicizer/" + AllowList.FileName, AllowListText),
                new InMemoryText(Path.Combine(PublicizedFolder, AllowList.NonPublicIndexFileName), NonPublicIndexText),
            ],
            new GlobalOptionsProvider(("build_property.PublicizedAssemblyNames", string.Join(",", PublicizedNames))));
        return compilation.WithAnalyzers([new InternalsFenceAnalyzer()], options)
            .GetAllDiagnosticsAsync().GetAwaiter().GetResult();
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class GlobalOptionsProvider(params (string Key, string Value)[] values) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _options = new(values.ToDictionary(v => v.Key, v => v.Value));

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
