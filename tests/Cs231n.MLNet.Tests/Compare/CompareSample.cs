using System.Diagnostics;

namespace Cs231n.MLNet.Tests.Compare;

/// <summary>Runs the Compare sample, deployed beside the tests, as a separate process with redirected output.</summary>
internal static class CompareSample
{
    /// <summary>The exit code and everything the process printed.</summary>
    public sealed record Run(int ExitCode, string Output, string Errors)
    {
        public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Errors}";
    }

    public static Run Start(params string[] arguments)
    {
        string sample = Path.Combine(AppContext.BaseDirectory, "Compare.dll");
        Assert.IsTrue(File.Exists(sample), $"the Compare sample is deployed beside the tests ({sample})");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(sample);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the Compare sample did not finish within ten minutes:\n{output.Result}\n{errors.Result}");
        }
        return new Run(process.ExitCode, output.Result, errors.Result);
    }
}
