namespace Cs231n.MLNet.Tests.TestSupport;

/// <summary>The repository the tests were built from: the first folder above the test output holding the solution.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Cs231n.MLNet.sln")))
                return folder.FullName;
        }
        Assert.Inconclusive($"These tests build the repository's projects; no Cs231n.MLNet.sln above {AppContext.BaseDirectory}.");
        return string.Empty;
    }
}
