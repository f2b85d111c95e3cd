namespace Cs231n.MLNet.Data;

/// <summary>
/// CIFAR-10 in its binary version (<c>cifar-10-batches-bin</c>): 32×32 RGB images in 10 classes, five training
/// batches of 10,000 (<c>data_batch_1.bin</c> … <c>data_batch_5.bin</c>) and one test batch (<c>test_batch.bin</c>).
/// </summary>
/// <remarks>
/// <para>
/// Each record is 3,073 bytes: the label byte, then 1,024 red, 1,024 green and 1,024 blue bytes, each plane row by
/// row. The loaded <see cref="ImageDataset"/> keeps that channel-major order, which is also the order ML.NET's
/// <c>ExtractPixels</c> produces with its default options (<c>interleavePixelColors: false</c>, RGB), so a model
/// trained on this loader's <c>Features</c> accepts <c>LoadImages → ResizeImages(32, 32) → ExtractPixels(scaleImage: 1f / 255)</c> output
/// of the same 32×32 images.
/// </para>
/// <para>Class names come from <c>batches.meta.txt</c> when the folder has it, else <see cref="DefaultClassNames"/>.</para>
/// </remarks>
public static class Cifar10
{
    /// <summary>Image height and width in pixels.</summary>
    public const int ImageSize = 32;

    /// <summary>Colour channels per pixel (R, G, B).</summary>
    public const int Channels = 3;

    /// <summary>Bytes per image: 3 planes of 32×32.</summary>
    public const int PixelsPerImage = Channels * ImageSize * ImageSize;

    /// <summary>Bytes per record: one label byte and the pixels.</summary>
    public const int RecordLength = 1 + PixelsPerImage;

    /// <summary>The file holding one class name per line.</summary>
    public const string ClassNamesFileName = "batches.meta.txt";

    /// <summary>The test batch file name.</summary>
    public const string TestBatchFileName = "test_batch.bin";

    /// <summary>The folder name inside the CIFAR-10 binary archive; accepted as a sub-folder of the folder given.</summary>
    public const string ArchiveFolderName = "cifar-10-batches-bin";

    /// <summary>The training batch file names, in loading order.</summary>
    public static IReadOnlyList<string> TrainBatchFileNames { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The class names used when the folder has no <c>batches.meta.txt</c>, indexed by label byte.</summary>
    public static IReadOnlyList<string> DefaultClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Loads the five training batches (50,000 images), in batch and file order.</summary>
    /// <param name="folder">The folder holding <c>data_batch_1.bin</c> … (or its parent holding <c>cifar-10-batches-bin</c>).</param>
    /// <exception cref="FileNotFoundException">A batch file is missing.</exception>
    /// <exception cref="InvalidDataException">A batch file is truncated or has a label with no class name.</exception>
    public static ImageDataset LoadTrain(string folder)
    {
        var resolved = ResolveFolder(folder, TrainBatchFileNames[0]);
        return LoadBatches(TrainBatchFileNames.Select(name => Path.Combine(resolved, name)).ToArray(), ReadClassNames(resolved));
    }

    /// <summary>Loads the test batch (10,000 images), in file order.</summary>
    /// <param name="folder">The folder holding <c>test_batch.bin</c> (or its parent holding <c>cifar-10-batches-bin</c>).</param>
    /// <exception cref="FileNotFoundException">The test batch is missing.</exception>
    /// <exception cref="InvalidDataException">The batch file is truncated or has a label with no class name.</exception>
    public static ImageDataset LoadTest(string folder)
    {
        var resolved = ResolveFolder(folder, TestBatchFileName);
        return LoadBatches([Path.Combine(resolved, TestBatchFileName)], ReadClassNames(resolved));
    }

    /// <summary>
    /// The class names of a CIFAR-10 folder: the non-empty lines of <c>batches.meta.txt</c> (trimmed) when present,
    /// else <see cref="DefaultClassNames"/>.
    /// </summary>
    /// <param name="folder">The folder holding the batches.</param>
    /// <exception cref="InvalidDataException"><c>batches.meta.txt</c> exists but lists no names.</exception>
    public static IReadOnlyList<string> ReadClassNames(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var path = Path.Combine(folder, ClassNamesFileName);
        if (!File.Exists(path))
            return DefaultClassNames;
        var names = File.ReadAllLines(path).Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
        if (names.Length == 0)
            throw new InvalidDataException($"'{path}' lists no class names; it should hold one name per line, in label order.");
        return names;
    }

    /// <summary>Loads any CIFAR-10 binary batch files, concatenated in the order given.</summary>
    /// <param name="batchPaths">The batch files.</param>
    /// <param name="classNames">The class names, indexed by label byte.</param>
    /// <exception cref="FileNotFoundException">A batch file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is empty or not a whole number of 3,073-byte records, or a label has no class name.</exception>
    public static ImageDataset LoadBatches(IReadOnlyList<string> batchPaths, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(batchPaths);
        ArgumentNullException.ThrowIfNull(classNames);
        if (batchPaths.Count == 0)
            throw new ArgumentException("The 'batchPaths' list is empty; give at least one batch file.", nameof(batchPaths));

        long totalRecords = 0;
        var recordCounts = new int[batchPaths.Count];
        for (int b = 0; b < batchPaths.Count; b++)
        {
            recordCounts[b] = CountRecords(batchPaths[b]);
            totalRecords += recordCounts[b];
        }
        if (totalRecords * PixelsPerImage > Array.MaxLength)
            throw new InvalidDataException($"The {batchPaths.Count} batch files hold {totalRecords} images, more than one array can hold; load fewer batches.");

        var pixels = new byte[totalRecords * PixelsPerImage];
        var labels = new int[totalRecords];
        int image = 0;
        for (int b = 0; b < batchPaths.Count; b++)
        {
            ReadBatch(batchPaths[b], recordCounts[b], classNames, pixels, labels, image);
            image += recordCounts[b];
        }
        return new ImageDataset(pixels, labels, ImageSize, ImageSize, Channels, classNames);
    }

    private static int CountRecords(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"CIFAR-10 batch file '{path}' does not exist.", path);
        long length = new FileInfo(path).Length;
        if (length == 0)
            throw new InvalidDataException($"'{path}' is empty; a CIFAR-10 batch holds records of {RecordLength} bytes.");
        long whole = length / RecordLength;
        if (length % RecordLength != 0)
            throw new InvalidDataException(
                $"'{path}' is truncated or not a CIFAR-10 binary batch: its {length} bytes are {whole} records of {RecordLength} bytes " +
                $"plus {length % RecordLength} bytes, so the record at byte offset {whole * RecordLength} is incomplete.");
        return checked((int)whole);
    }

    private static void ReadBatch(string path, int records, IReadOnlyList<string> classNames, byte[] pixels, int[] labels, int firstImage)
    {
        const int recordsPerChunk = 256;
        var buffer = new byte[recordsPerChunk * RecordLength];
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        for (int start = 0; start < records; start += recordsPerChunk)
        {
            int count = Math.Min(recordsPerChunk, records - start);
            int bytes = count * RecordLength;
            int read = file.ReadAtLeast(buffer.AsSpan(0, bytes), bytes, throwOnEndOfStream: false);
            if (read < bytes)
                throw new InvalidDataException(
                    $"'{path}' is truncated: it ended at byte offset {(long)start * RecordLength + read} while reading the record at byte offset {(long)(start + read / RecordLength) * RecordLength} (was it changed while being read?).");
            for (int r = 0; r < count; r++)
            {
                var record = buffer.AsSpan(r * RecordLength, RecordLength);
                int label = record[0];
                if (label >= classNames.Count)
                    throw new InvalidDataException(
                        $"'{path}' has label {label} in the record at byte offset {(long)(start + r) * RecordLength}, but only {classNames.Count} class names are known (labels 0–{classNames.Count - 1}).");
                int image = firstImage + start + r;
                labels[image] = label;
                record[1..].CopyTo(pixels.AsSpan(image * PixelsPerImage, PixelsPerImage));
            }
        }
    }

    private static string ResolveFolder(string folder, string probeFileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The CIFAR-10 folder '{folder}' does not exist.");
        if (File.Exists(Path.Combine(folder, probeFileName)))
            return folder;
        var nested = Path.Combine(folder, ArchiveFolderName);
        if (File.Exists(Path.Combine(nested, probeFileName)))
            return nested;
        throw new FileNotFoundException(
            $"'{probeFileName}' is in neither '{folder}' nor '{nested}'. Give the folder of the CIFAR-10 binary version " +
            $"(data_batch_1.bin … data_batch_5.bin, test_batch.bin, batches.meta.txt).",
            Path.Combine(folder, probeFileName));
    }
}
