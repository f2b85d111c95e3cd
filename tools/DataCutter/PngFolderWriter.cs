using System.Runtime.InteropServices;
using Cs231n.MLNet.Data;
using SkiaSharp;

namespace Cs231n.MLNet.Tools.DataCutter;

/// <summary>
/// Writes the first N grayscale images of every class, in file order, as 8-bit grayscale PNG files:
/// <c>&lt;folder&gt;/&lt;ClassFolderName&gt;/&lt;index&gt;.png</c>, where index is the image's 0-based position in the
/// source file, zero-padded to 5 digits so that ordinal file-name order is file order.
/// </summary>
internal static class PngFolderWriter
{
    public static void Write(ImageDataset source, int perClass, string folder)
    {
        if (source.Channels != 1)
            throw new ArgumentException($"Expected grayscale images; got {source.Channels} channels.", nameof(source));

        // Start from an empty folder so that no file from an earlier cut survives.
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);

        var written = new int[source.ClassNames.Length];
        var info = new SKImageInfo(source.Width, source.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        for (int i = 0; i < source.Count; i++)
        {
            int label = source.Labels[i];
            if (written[label] == perClass)
                continue;
            var classFolder = Path.Combine(folder, FashionMnist.ToFolderName(source.ClassNames[label]));
            Directory.CreateDirectory(classFolder);
            using var bitmap = new SKBitmap(info);
            Marshal.Copy(source.GetImage(i).ToArray(), 0, bitmap.GetPixels(), source.FeatureLength);
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(classFolder, $"{i:D5}.png"), data.ToArray());
            written[label]++;
        }
        Console.WriteLine($"  {folder}: per class {string.Join("/", written)} PNG files");
    }
}
