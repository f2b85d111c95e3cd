using Compare.CommandLine;
using Cs231n.MLNet.Data;
using Cs231n.MLNet.Samples;
using Microsoft.ML;

namespace Compare.Datasets;

/// <summary>Turns the <c>--data</c> argument into training and test images, detecting the kind of folder.</summary>
internal static class DataSourceLoader
{
    /// <summary>Loads the data the options select.</summary>
    /// <exception cref="UsageException">The data is missing or of no recognised kind; the message says how to fix it.</exception>
    public static ComparisonData Load(CommandLineOptions options, MLContext mlContext)
    {
        if (options.Data is null)
        {
            if (!BundledData.TryFindFashionMnist(out string bundled))
                throw new UsageException(
                    $"The bundled Fashion-MNIST subset ({BundledData.FashionMnistDirectory}) was not found; run from inside the repository or give --data.");
            return new ComparisonData("Fashion-MNIST, the bundled subset", FashionMnist.LoadTrain(bundled), FashionMnist.LoadTest(bundled));
        }
        if (options.Data == CommandLineOptions.FashionMnistKeyword)
        {
            if (!FashionMnist.TryFindInstalled(out string installed))
                throw new UsageException(
                    $"Full Fashion-MNIST is not installed (looked in {FashionMnist.InstalledDirectory}). Install it with: apt-get install dataset-fashion-mnist");
            return new ComparisonData("Fashion-MNIST (full, Debian package dataset-fashion-mnist)", FashionMnist.LoadTrain(installed), FashionMnist.LoadTest(installed));
        }
        return LoadFolder(options, mlContext);
    }

    private static ComparisonData LoadFolder(CommandLineOptions options, MLContext mlContext)
    {
        string folder = Path.GetFullPath(options.Data!);
        if (!Directory.Exists(folder))
            throw new UsageException($"The data folder '{folder}' does not exist. Give --data fashion-mnist, or a folder of IDX files, CIFAR-10 batches or class sub-folders of images.");
        if (IsIdxFolder(folder))
        {
            var classNames = ReadClassList(folder) ?? FashionMnist.ClassNames;
            var train = IdxReader.ReadDataset(IdxFile(folder, FashionMnist.TrainImagesFileName), IdxFile(folder, FashionMnist.TrainLabelsFileName), classNames);
            var test = IdxReader.ReadDataset(IdxFile(folder, FashionMnist.TestImagesFileName), IdxFile(folder, FashionMnist.TestLabelsFileName), classNames);
            return new ComparisonData($"IDX files in {folder}", train, test);
        }
        if (IsCifarFolder(folder))
            return new ComparisonData($"CIFAR-10 binary batches in {folder}", Cifar10.LoadTrain(folder), Cifar10.LoadTest(folder));
        if (Directory.EnumerateDirectories(folder).Any(d => !Path.GetFileName(d).StartsWith('.')))
            return ImageFolderLoader.Load(mlContext, folder, options.ImageSize);
        throw new UsageException(
            $"'{folder}' holds no IDX files (train-images-idx3-ubyte[.gz] …), no CIFAR-10 batches (data_batch_1.bin … test_batch.bin) and no class sub-folders of images.");
    }

    private static bool IsIdxFolder(string folder) =>
        new[] { FashionMnist.TrainImagesFileName, FashionMnist.TrainLabelsFileName, FashionMnist.TestImagesFileName, FashionMnist.TestLabelsFileName }
            .All(name => File.Exists(Path.Combine(folder, name)) || File.Exists(Path.Combine(folder, Path.GetFileNameWithoutExtension(name))));

    private static bool IsCifarFolder(string folder) =>
        new[] { folder, Path.Combine(folder, "cifar-10-batches-bin") }.Any(f => File.Exists(Path.Combine(f, "test_batch.bin")));

    private static string IdxFile(string folder, string gzipName)
    {
        string gzip = Path.Combine(folder, gzipName);
        return File.Exists(gzip) ? gzip : Path.Combine(folder, Path.GetFileNameWithoutExtension(gzipName));
    }

    /// <summary>An IDX folder's own class names (one per line in <c>classes.txt</c>), else null for Fashion-MNIST's.</summary>
    private static IReadOnlyList<string>? ReadClassList(string folder)
    {
        string path = Path.Combine(folder, "classes.txt");
        if (!File.Exists(path))
            return null;
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        return names.Length > 0 ? names : throw new UsageException($"'{path}' lists no class names; write one name per line, in label order.");
    }
}
