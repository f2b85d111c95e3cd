// Writes compile-time reference copies of ML.NET assemblies in which the internals named in allowed-internals.txt
// are public, and nothing else changes.
// Usage: Cs231n.MLNet.Publicizer <allow-list> <output-directory> <assembly.dll>...
// The runtime still loads the original assemblies; Cs231n.MLNet declares IgnoresAccessChecksTo for them, and the
// fence analyzer (build/Cs231n.MLNet.FenceAnalyzer) keeps the uses inside src/Cs231n.MLNet/MLNetInternals/.
using Cs231n.MLNet.Build;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Cs231n.MLNet.Publicizer <allow-list> <output-directory> <assembly.dll>...");
    return 2;
}

string allowListPath = Path.GetFullPath(args[0]);
string outputDirectory = args[1];
string[] inputs = args.Skip(2).Select(Path.GetFullPath).ToArray();
Directory.CreateDirectory(outputDirectory);

string allowListText = File.ReadAllText(allowListPath);
var stamp = new UpToDateStamp(outputDirectory, allowListText, inputs);
if (stamp.IsCurrent())
    return 0;

var allowList = AllowList.Parse(allowListText, out var syntaxErrors);
var problems = syntaxErrors.Select(e => (e.Line, e.Message)).ToList();
if (problems.Count == 0)
{
    using var publicizer = new Publicizer(inputs);
    problems.AddRange(publicizer.Apply(allowList));
    if (problems.Count == 0)
        publicizer.WriteAll(outputDirectory);
}

// MSBuild's canonical "file(line): error CODE: message" form, so each problem shows as a build error on its line.
foreach (var (line, message) in problems)
    Console.WriteLine($"{allowListPath}({line}): error PUBLICIZE01: {message}");
if (problems.Count > 0)
    return 1;

stamp.Write();
return 0;
