using Cs231n.MLNet.Data;

namespace Cs231n.MLNet.Samples;

/// <summary>
/// Finds the Fashion-MNIST subset that the repository ships in <c>data/fashion-mnist</c> (2,000 training and 500
/// test images, see <c>data/README.md</c>). Repository support code for the samples and tests, compiled into each
/// of them: the package's own loaders take a path (<see cref="FashionMnist.LoadTrain"/>, <see cref="FashionMnist.Load"/>).
/// </summary>
internal static class BundledData
{
    /// <summary>The subset's folder, relative to the repository root (or to a test or sample output folder).</summary>
    public const string FashionMnistDirectory = "data/fashion-mnist";

    /// <summary>The bundled training subset: 2,000 images, 200 per class.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder cannot be found (see <see cref="TryFindFashionMnist"/>).</exception>
    public static ImageDataset FashionMnistTrain() => FashionMnist.LoadTrain(FindFashionMnist());

    /// <summary>The bundled test subset: 500 images, 50 per class.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder cannot be found (see <see cref="TryFindFashionMnist"/>).</exception>
    public static ImageDataset FashionMnistTest() => FashionMnist.LoadTest(FindFashionMnist());

    /// <summary>
    /// Looks for <see cref="FashionMnistDirectory"/> beside the running program and in every folder above it, then
    /// in the current directory and every folder above that, so it is found both in an output folder that copies
    /// <c>data/</c> and from anywhere inside the repository.
    /// </summary>
    /// <param name="directory">The folder when found; otherwise empty.</param>
    public static bool TryFindFashionMnist(out string directory)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, FashionMnistDirectory);
                if (FileNames.All(name => File.Exists(Path.Combine(candidate, name))))
                {
                    directory = candidate;
                    return true;
                }
            }
        }
        directory = string.Empty;
        return false;
    }

    private static readonly string[] FileNames =
    [
        FashionMnist.TrainImagesFileName, FashionMnist.TrainLabelsFileName,
        FashionMnist.TestImagesFileName, FashionMnist.TestLabelsFileName,
    ];

    private static string FindFashionMnist() =>
        TryFindFashionMnist(out var directory)
            ? directory
            : throw new DirectoryNotFoundException(
                $"The bundled Fashion-MNIST subset '{FashionMnistDirectory}' was not found beside '{AppContext.BaseDirectory}', in '{Environment.CurrentDirectory}', or in any folder above them. " +
                "Run from inside the repository, or copy its data/ folder to the output directory.");
}
