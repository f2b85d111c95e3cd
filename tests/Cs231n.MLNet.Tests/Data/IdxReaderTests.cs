using Cs231n.MLNet.Data;

namespace Cs231n.MLNet.Tests.Data;

[TestClass]
public sealed class IdxReaderTests
{
    [TestMethod]
    [DataRow("images-idx3-ubyte")]
    [DataRow("images-idx3-ubyte.gz")]
    public void WriterAndReaderRoundTripImagesPlainAndGzipped(string fileName)
    {
        using var temp = new TempFolder();
        var pixels = IdxBytes.PatternPixels(5, 4, 3);
        var path = temp.File(fileName);

        IdxWriter.WriteImages(path, pixels, rows: 4, columns: 3);
        var read = IdxReader.ReadImages(path);

        Assert.AreEqual(fileName.EndsWith(".gz"), IdxReader.IsGzip(path));
        CollectionAssert.AreEqual(new[] { 5, 4, 3 }, read.Dimensions.ToArray());
        CollectionAssert.AreEqual(pixels, read.Data);
    }

    [TestMethod]
    public void ReaderDecodesHandBuiltFilesAndDetectsGzipByContentNotName()
    {
        using var temp = new TempFolder();
        var pixels = IdxBytes.PatternPixels(3, 2, 2);
        // Gzipped content under a plain name, plain content under a .gz name: the magic bytes decide.
        File.WriteAllBytes(temp.File("images.bin"), IdxBytes.Gzip(IdxBytes.Images(3, 2, 2, pixels)));
        File.WriteAllBytes(temp.File("labels.gz"), IdxBytes.Labels([2, 0, 1]));

        var images = IdxReader.ReadImages(temp.File("images.bin"));
        var labels = IdxReader.ReadLabels(temp.File("labels.gz"));

        CollectionAssert.AreEqual(pixels, images.Data);
        CollectionAssert.AreEqual(new byte[] { 2, 0, 1 }, labels);
    }

    [TestMethod]
    public void FashionMnistLoadPairsImagesWithClassNames()
    {
        using var temp = new TempFolder();
        var pixels = IdxBytes.PatternPixels(3, 28, 28);
        File.WriteAllBytes(temp.File("images.gz"), IdxBytes.Gzip(IdxBytes.Images(3, 28, 28, pixels)));
        File.WriteAllBytes(temp.File("labels"), IdxBytes.Labels([9, 0, 3]));

        var data = FashionMnist.Load(temp.File("images.gz"), temp.File("labels"));

        Assert.AreEqual(3, data.Count);
        Assert.AreEqual((28, 28, 1), (data.Height, data.Width, data.Channels));
        CollectionAssert.AreEqual(new[] { 9, 0, 3 }, data.Labels);
        Assert.AreEqual("Ankle boot", data.ClassNames[data.Labels[0]]);
        CollectionAssert.AreEqual(pixels, data.Pixels);
    }

    [TestMethod]
    public void BadMagicNumberIsRejectedNamingFileAndOffset()
    {
        using var temp = new TempFolder();
        var path = temp.File("not-idx.bin");
        File.WriteAllBytes(path, [0x12, 0x34, 0x08, 0x01, 0, 0, 0, 1, 5]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(path));

        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, "offset 0");
        StringAssert.Contains(error.Message, "12340801");
    }

    [TestMethod]
    public void UnsupportedTypeCodeIsRejected()
    {
        using var temp = new TempFolder();
        var path = temp.File("floats-idx1");
        File.WriteAllBytes(path, IdxBytes.Build(0x0D, [1], [0, 0, 0, 0]));

        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(path));

        StringAssert.Contains(error.Message, "0x0D");
        StringAssert.Contains(error.Message, "offset 2");
    }

    [TestMethod]
    public void LabelFileGivenAsImagesIsRejectedWithAHint()
    {
        using var temp = new TempFolder();
        var path = temp.File("labels-idx1-ubyte");
        File.WriteAllBytes(path, IdxBytes.Labels([1, 2, 3]));

        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, "label file");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void TruncatedDataIsRejectedNamingFileAndOffset(bool gzip)
    {
        using var temp = new TempFolder();
        var full = IdxBytes.Images(4, 3, 3, IdxBytes.PatternPixels(4, 3, 3));
        var truncated = full[..(16 + 30)]; // header (16 bytes) plus 30 of the 36 pixel bytes
        var path = temp.File("images-idx3-ubyte" + (gzip ? ".gz" : ""));
        File.WriteAllBytes(path, gzip ? IdxBytes.Gzip(truncated) : truncated);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, "truncated");
        StringAssert.Contains(error.Message, "offset 46");
    }

    [TestMethod]
    public void CutGzipStreamIsRejectedNamingTheFile()
    {
        using var temp = new TempFolder();
        var compressed = IdxBytes.Gzip(IdxBytes.Images(50, 28, 28, IdxBytes.PatternPixels(50, 28, 28)));
        var path = temp.File("images-idx3-ubyte.gz");
        File.WriteAllBytes(path, compressed[..(compressed.Length / 2)]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    public void TruncatedHeaderIsRejected()
    {
        using var temp = new TempFolder();
        var path = temp.File("short");
        File.WriteAllBytes(path, [0, 0, 8, 3, 0, 0]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        StringAssert.Contains(error.Message, "truncated");
        StringAssert.Contains(error.Message, "offset 6");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void HeaderClaimingFarMoreDataThanTheFileHoldsFailsBeforeAllocating(bool gzip)
    {
        using var temp = new TempFolder();
        // Claims 2,000,000,000 bytes of pixels in a file of a few dozen bytes.
        var bytes = IdxBytes.Images(2_000_000, 1000, 1, new byte[10]);
        var path = temp.File("liar");
        File.WriteAllBytes(path, gzip ? IdxBytes.Gzip(bytes) : bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.IsLessThan(10_000_000L, GC.GetAllocatedBytesForCurrentThread() - before, "The reader allocated what the header claimed.");
        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, gzip ? "header is corrupt" : "truncated");
    }

    [TestMethod]
    public void ExtraBytesAfterTheDataAreRejected()
    {
        using var temp = new TempFolder();
        var path = temp.File("long");
        File.WriteAllBytes(path, [.. IdxBytes.Labels([1, 2]), 99]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(path));

        StringAssert.Contains(error.Message, "offset 10");
    }

    [TestMethod]
    public void ImageAndLabelCountMismatchNamesBothFiles()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("images"), IdxBytes.Images(3, 2, 2, new byte[12]));
        File.WriteAllBytes(temp.File("labels"), IdxBytes.Labels([0, 1]));

        var error = Assert.ThrowsExactly<InvalidDataException>(() => FashionMnist.Load(temp.File("images"), temp.File("labels")));

        StringAssert.Contains(error.Message, temp.File("images"));
        StringAssert.Contains(error.Message, temp.File("labels"));
        StringAssert.Contains(error.Message, "3 images");
        StringAssert.Contains(error.Message, "2 labels");
    }

    [TestMethod]
    public void LabelAboveTheClassCountIsRejectedWithItsOffset()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("images"), IdxBytes.Images(3, 2, 2, new byte[12]));
        File.WriteAllBytes(temp.File("labels"), IdxBytes.Labels([0, 10, 1]));

        var error = Assert.ThrowsExactly<InvalidDataException>(() => FashionMnist.Load(temp.File("images"), temp.File("labels")));

        StringAssert.Contains(error.Message, "label 10");
        StringAssert.Contains(error.Message, "offset 9");
    }

    [TestMethod]
    public void MissingFileAndFolderGiveClearErrors()
    {
        using var temp = new TempFolder();

        var missingFile = Assert.ThrowsExactly<FileNotFoundException>(() => IdxReader.ReadImages(temp.File("nope")));
        var missingInFolder = Assert.ThrowsExactly<FileNotFoundException>(() => FashionMnist.LoadTrain(temp.Path));
        Assert.ThrowsExactly<DirectoryNotFoundException>(() => FashionMnist.LoadTest(temp.File("no-such-folder")));

        StringAssert.Contains(missingFile.Message, temp.File("nope"));
        StringAssert.Contains(missingInFolder.Message, "train-images-idx3-ubyte.gz");
        StringAssert.Contains(missingInFolder.Message, "apt-get install dataset-fashion-mnist");
    }
}
