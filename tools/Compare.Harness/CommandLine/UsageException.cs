namespace Compare.CommandLine;

/// <summary>The arguments or the data they point to are wrong; the message says what and how to fix it (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
