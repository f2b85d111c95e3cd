// Cuts the small, balanced Fashion-MNIST subset shipped in the repository's data/ folder from the full data set.
// Deterministic: it keeps the FIRST images of every class in file order (no randomness), so running it again on the
// same source reproduces the same files. See data/README.md for the exact command and what it writes.
using Cs231n.MLNet.Data;
using Cs231n.MLNet.Tools.DataCutter;

var options = CutterOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(CutterOptions.Usage);
    return 2;
}

Console.WriteLine($"Reading Fashion-MNIST from {options.Source}");
var train = FashionMnist.LoadTrain(options.Source);
var test = FashionMnist.LoadTest(options.Source);
Console.WriteLine($"  train: {train}; test: {test}");

var idxFolder = Path.Combine(options.Output, "fashion-mnist");
Directory.CreateDirectory(idxFolder);
IdxSubsetWriter.Write(train, options.IdxTrainPerClass, Path.Combine(idxFolder, FashionMnist.TrainImagesFileName), Path.Combine(idxFolder, FashionMnist.TrainLabelsFileName));
IdxSubsetWriter.Write(test, options.IdxTestPerClass, Path.Combine(idxFolder, FashionMnist.TestImagesFileName), Path.Combine(idxFolder, FashionMnist.TestLabelsFileName));

var imageFolder = Path.Combine(options.Output, "images");
PngFolderWriter.Write(train, options.PngTrainPerClass, Path.Combine(imageFolder, "train"));
PngFolderWriter.Write(test, options.PngTestPerClass, Path.Combine(imageFolder, "test"));

foreach (var file in Directory.EnumerateFiles(idxFolder).Order(StringComparer.Ordinal))
    Console.WriteLine($"  {Path.GetRelativePath(options.Output, file)}: {new FileInfo(file).Length:N0} bytes");
foreach (var split in new[] { "train", "test" })
{
    var files = Directory.EnumerateFiles(Path.Combine(imageFolder, split), "*.png", SearchOption.AllDirectories).ToArray();
    Console.WriteLine($"  images/{split}: {files.Length} PNG files, {files.Sum(f => new FileInfo(f).Length):N0} bytes");
}
return 0;
