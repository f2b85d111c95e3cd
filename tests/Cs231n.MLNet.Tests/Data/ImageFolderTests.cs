using Cs231n.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;

namespace Cs231n.MLNet.Tests.Data;

[TestClass]
public sealed class ImageFolderTests
{
    /// <summary>Three classes of 4×4 grayscale PNGs whose every pixel equals a per-image value, plus a non-image file.</summary>
    private static Dictionary<string, byte> WriteThreeClassFolder(string root)
    {
        var values = new Dictionary<string, byte>();
        var layout = new (string Class, string[] Files)[]
        {
            ("dog", ["b.png", "a.PNG", "c.jpg"]),
            ("cat", ["10.png", "9.png"]),
            ("bird", ["x.jpeg"]),
        };
        byte next = 10;
        foreach (var (label, files) in layout)
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, label)).FullName;
            foreach (var file in files)
            {
                var path = Path.Combine(folder, file);
                var format = file.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg;
                PngFiles.WriteGray(path, Enumerable.Repeat(next, 16).ToArray(), 4, 4, format);
                values[path] = next;
                next += 40;
            }
            File.WriteAllText(Path.Combine(folder, "notes.txt"), "not an image");
        }
        return values;
    }

    [TestMethod]
    public void ListsClassFoldersThenFilesInOrdinalOrderWithFolderNamesAsLabels()
    {
        using var temp = new TempFolder();
        WriteThreeClassFolder(temp.Path);

        var entries = ImageFolder.List(temp.Path);

        var listed = entries.Select(e => $"{e.Label}/{Path.GetFileName(e.Path)}").ToArray();
        CollectionAssert.AreEqual(new[] { "bird/x.jpeg", "cat/10.png", "cat/9.png", "dog/a.PNG", "dog/b.png", "dog/c.jpg" }, listed);
        Assert.IsTrue(entries.All(e => Path.IsPathFullyQualified(e.Path) && File.Exists(e.Path)));
    }

    [TestMethod]
    public void LoadFeedsLoadImagesResizeAndExtractPixels()
    {
        using var temp = new TempFolder();
        var values = WriteThreeClassFolder(temp.Path);
        var mlContext = new MLContext(seed: 0);

        var view = ImageFolder.Load(mlContext, temp.Path, validateImages: true);
        var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder: "", ImageFolder.ImagePathColumnName)
            .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: 4, imageHeight: 4))
            .Append(mlContext.Transforms.ExtractPixels("Features", "Image", scaleImage: 1f / 255))
            .Append(mlContext.Transforms.Conversion.MapValueToKey(ImageFolder.LabelColumnName));
        var transformed = pipeline.Fit(view).Transform(view);

        Assert.AreEqual(TextDataViewType.Instance, view.Schema[ImageFolder.ImagePathColumnName].Type);
        Assert.AreEqual(TextDataViewType.Instance, view.Schema[ImageFolder.LabelColumnName].Type);
        var paths = view.GetColumn<ReadOnlyMemory<char>>(ImageFolder.ImagePathColumnName).Select(p => p.ToString()).ToArray();
        var labels = view.GetColumn<ReadOnlyMemory<char>>(ImageFolder.LabelColumnName).Select(l => l.ToString()).ToArray();
        var features = transformed.GetColumn<VBuffer<float>>("Features").Select(f => f.DenseValues().ToArray()).ToArray();
        var keys = transformed.GetColumn<uint>(ImageFolder.LabelColumnName).ToArray();
        CollectionAssert.AreEqual(new[] { "bird", "cat", "cat", "dog", "dog", "dog" }, labels);
        CollectionAssert.AreEqual(new uint[] { 1, 2, 2, 3, 3, 3 }, keys);
        for (int i = 0; i < paths.Length; i++)
        {
            Assert.HasCount(3 * 16, features[i]);
            // JPEG is lossy, so allow a couple of levels; PNG must be exact.
            float tolerance = paths[i].EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? 1e-6f : 3f / 255;
            foreach (var value in features[i])
                Assert.AreEqual(values[paths[i]] / 255f, value, tolerance, paths[i]);
        }
    }

    [TestMethod]
    public void MissingEmptyAndMisfiledFoldersGiveClearErrors()
    {
        using var temp = new TempFolder();
        var mlContext = new MLContext(seed: 0);

        var missing = Assert.ThrowsExactly<DirectoryNotFoundException>(() => ImageFolder.Load(mlContext, temp.File("absent")));
        var noClasses = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.List(temp.Path));
        Directory.CreateDirectory(temp.File("cat"));
        var emptyClass = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.List(temp.Path));
        PngFiles.WriteGray(temp.File("cat", "1.png"), new byte[4], 2, 2);
        PngFiles.WriteGray(temp.File("loose.png"), new byte[4], 2, 2);
        var loose = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.List(temp.Path));

        StringAssert.Contains(missing.Message, temp.File("absent"));
        StringAssert.Contains(noClasses.Message, "no sub-folders");
        StringAssert.Contains(emptyClass.Message, temp.File("cat"));
        StringAssert.Contains(loose.Message, "loose.png");
    }

    [TestMethod]
    public void FindUnreadableReportsDamagedFilesIncludingAllThatSkiaSharpCannotDecode()
    {
        using var temp = new TempFolder();
        WriteThreeClassFolder(temp.Path);
        var folder = temp.File("cat");
        var good = File.ReadAllBytes(Path.Combine(folder, "9.png"));
        var jpeg = File.ReadAllBytes(temp.File("dog", "c.jpg"));
        File.WriteAllBytes(Path.Combine(folder, "empty.png"), []);
        File.WriteAllBytes(Path.Combine(folder, "text.png"), "hello, not an image"u8.ToArray());
        File.WriteAllBytes(Path.Combine(folder, "truncated.png"), good[..(good.Length / 2)]);
        var corrupted = good.ToArray();
        corrupted[^20] ^= 0xFF; // inside the image data: the chunk CRC no longer matches
        File.WriteAllBytes(Path.Combine(folder, "corrupted.png"), corrupted);
        File.WriteAllBytes(Path.Combine(folder, "header-only.jpg"), jpeg[..20]);
        File.WriteAllBytes(Path.Combine(folder, "fine-bmp.bmp"), Bmp24(3, 2));
        File.WriteAllBytes(Path.Combine(folder, "short-bmp.bmp"), Bmp24(3, 2)[..60]);

        var unreadable = ImageFolder.FindUnreadable(temp.Path);

        var names = unreadable.Select(u => Path.GetFileName(u.Path)).Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(new[] { "corrupted.png", "empty.png", "header-only.jpg", "short-bmp.bmp", "text.png", "truncated.png" }, names,
            string.Join("; ", unreadable));
        Assert.IsTrue(unreadable.All(u => u.Reason.Length > 0));
        StringAssert.Contains(unreadable.Single(u => u.Path.EndsWith("truncated.png")).Reason, "truncated");
        StringAssert.Contains(unreadable.Single(u => u.Path.EndsWith("corrupted.png")).Reason, "CRC");
        // No false negatives against the real decoder: whatever SkiaSharp cannot decode is reported. (The check is
        // stricter than the decoder, which fills in the missing part of some truncated files without complaint.)
        foreach (var entry in ImageFolder.List(temp.Path))
        {
            if (!PngFiles.CanDecode(entry.Path))
                Assert.IsTrue(unreadable.Any(u => u.Path == entry.Path), $"{entry.Path} does not decode but was not reported.");
        }
        Assert.IsFalse(PngFiles.CanDecode(Path.Combine(folder, "text.png")));
        Assert.IsTrue(PngFiles.CanDecode(Path.Combine(folder, "fine-bmp.bmp")));
    }

    [TestMethod]
    public void LoadWithValidationThrowsNamingTheUnreadableFile()
    {
        using var temp = new TempFolder();
        WriteThreeClassFolder(temp.Path);
        var bad = temp.File("dog", "broken.png");
        File.WriteAllBytes(bad, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.Load(new MLContext(seed: 0), temp.Path, validateImages: true));

        StringAssert.Contains(error.Message, bad);
        StringAssert.Contains(error.Message, "1 of the 7 images");
    }

    /// <summary>An uncompressed 24-bit BMP (BITMAPINFOHEADER), rows padded to 4 bytes.</summary>
    private static byte[] Bmp24(int width, int height)
    {
        int rowBytes = (width * 3 + 3) / 4 * 4;
        int dataOffset = 54;
        var bytes = new byte[dataOffset + rowBytes * height];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BitConverter.TryWriteBytes(bytes.AsSpan(2), bytes.Length);
        BitConverter.TryWriteBytes(bytes.AsSpan(10), dataOffset);
        BitConverter.TryWriteBytes(bytes.AsSpan(14), 40);
        BitConverter.TryWriteBytes(bytes.AsSpan(18), width);
        BitConverter.TryWriteBytes(bytes.AsSpan(22), height);
        BitConverter.TryWriteBytes(bytes.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(bytes.AsSpan(28), (short)24);
        for (int i = dataOffset; i < bytes.Length; i++)
            bytes[i] = (byte)(i * 5);
        return bytes;
    }
}
