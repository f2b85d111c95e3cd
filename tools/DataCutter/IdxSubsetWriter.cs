using Cs231n.MLNet.Data;

namespace Cs231n.MLNet.Tools.DataCutter;

/// <summary>Writes the first N images of every class, in file order, as a gzipped IDX image file and label file.</summary>
internal static class IdxSubsetWriter
{
    public static void Write(ImageDataset source, int perClass, string imagesPath, string labelsPath)
    {
        var subset = source.TakeFirstPerClass(perClass);
        IdxWriter.WriteImages(imagesPath, subset.Pixels, subset.Height, subset.Width);
        IdxWriter.WriteLabels(labelsPath, subset.Labels.Select(label => (byte)label).ToArray());
        Console.WriteLine($"  {Path.GetFileName(imagesPath)}: {subset.Count} images, per class {string.Join("/", subset.CountPerClass())}");
    }
}
