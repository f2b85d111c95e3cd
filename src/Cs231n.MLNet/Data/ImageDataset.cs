using Cs231n.MLNet.Data.InMemory;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Data;

/// <summary>
/// Labelled images held as raw bytes: what the Fashion-MNIST and CIFAR-10 loaders return. Use the arrays directly,
/// or <see cref="ToDataView"/> for an ML.NET <see cref="IDataView"/> with a <c>Features</c> and a <c>Label</c> column.
/// </summary>
/// <remarks>
/// <para>
/// Layout: image <c>i</c> occupies <c>Pixels[i * FeatureLength .. (i + 1) * FeatureLength)</c>, channel-major —
/// the whole first channel (row by row, each row left to right), then the second, and so on. For RGB images that
/// is the R plane, then G, then B: the order ML.NET's <c>ExtractPixels</c> produces with its default options.
/// </para>
/// <para>
/// The data view convention, shared by every loader in this namespace: <c>Features</c> is a known-size vector of
/// <see cref="float"/> (<see cref="FeatureLength"/> values, each byte <c>b</c> scaled to <c>b / 255f</c>, so in
/// [0, 1]); <c>Label</c> is text holding the class name. Add <c>MapValueToKey("Label")</c> before a multiclass
/// trainer. Rows come in file order; cursors asked for with a random source visit them in a random permutation.
/// </para>
/// </remarks>
public sealed class ImageDataset
{
    /// <summary>The name of the pixel vector column produced by <see cref="ToDataView"/>: <c>Features</c>.</summary>
    public const string FeaturesColumnName = "Features";

    /// <summary>The name of the class-name column produced by <see cref="ToDataView"/>: <c>Label</c>.</summary>
    public const string LabelColumnName = "Label";

    /// <summary>Wraps existing arrays (not copied) after checking that they agree with each other.</summary>
    /// <param name="pixels">All images back to back, channel-major, <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/> bytes each.</param>
    /// <param name="labels">The class index of every image, in [0, <c>classNames.Count</c>).</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="channels">Channels per pixel: 1 for grayscale, 3 for RGB.</param>
    /// <param name="classNames">The name of every class, indexed by class index.</param>
    /// <exception cref="ArgumentException">The sizes disagree, a label is out of range, or a class name is empty or repeated.</exception>
    public ImageDataset(byte[] pixels, int[] labels, int height, int width, int channels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (height <= 0)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"The 'height' must be positive; got {height}.");
        if (width <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"The 'width' must be positive; got {width}.");
        if (channels <= 0)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"The 'channels' must be positive; got {channels}.");
        long featureLength = (long)height * width * channels;
        if (featureLength > int.MaxValue)
            throw new ArgumentException($"An image of {channels}×{height}×{width} has {featureLength} values, more than one vector can hold.", nameof(height));
        if ((long)labels.Length * featureLength != pixels.Length)
            throw new ArgumentException(
                $"The 'pixels' array has {pixels.Length} bytes but {labels.Length} labels × {channels}×{height}×{width} pixels need {(long)labels.Length * featureLength}.",
                nameof(pixels));
        if (classNames.Count == 0)
            throw new ArgumentException("The 'classNames' list is empty; give the name of every class.", nameof(classNames));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < classNames.Count; c++)
        {
            if (string.IsNullOrEmpty(classNames[c]))
                throw new ArgumentException($"Class name {c} is null or empty.", nameof(classNames));
            if (!seen.Add(classNames[c]))
                throw new ArgumentException($"Class name '{classNames[c]}' appears twice (again at index {c}); class names must be distinct.", nameof(classNames));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classNames.Count)
                throw new ArgumentException($"Label {i} is {labels[i]}; labels must be class indices in [0, {classNames.Count - 1}].", nameof(labels));
        }

        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
        Channels = channels;
        FeatureLength = (int)featureLength;
        ClassNames = classNames.ToArray();
    }

    /// <summary>The number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Channels per pixel: 1 for grayscale, 3 for RGB.</summary>
    public int Channels { get; }

    /// <summary>Values per image, <c>Channels × Height × Width</c>: the length of the <c>Features</c> vector.</summary>
    public int FeatureLength { get; }

    /// <summary>All images back to back, <see cref="FeatureLength"/> bytes each, channel-major (see the class remarks).</summary>
    public byte[] Pixels { get; }

    /// <summary>The class index of every image, in [0, <c>ClassNames.Length</c>).</summary>
    public int[] Labels { get; }

    /// <summary>The name of every class, indexed by class index.</summary>
    public string[] ClassNames { get; }

    /// <summary>The bytes of image <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in [0, <see cref="Count"/>).</exception>
    public ReadOnlySpan<byte> GetImage(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The image 'index' must be in [0, {Count - 1}]; got {index}.");
        return Pixels.AsSpan(index * FeatureLength, FeatureLength);
    }

    /// <summary>How many images each class has, indexed by class index.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[ClassNames.Length];
        foreach (int label in Labels)
            counts[label]++;
        return counts;
    }

    /// <summary>A new data set holding copies of the given images, in the given order.</summary>
    /// <param name="indices">Image indices, each in [0, <see cref="Count"/>); repeats are allowed.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public ImageDataset Select(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var pixels = new byte[(long)indices.Count * FeatureLength];
        var labels = new int[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            int index = indices[k];
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Entry {k} of 'indices' is {index}; image indices must be in [0, {Count - 1}].");
            GetImage(index).CopyTo(pixels.AsSpan(k * FeatureLength, FeatureLength));
            labels[k] = Labels[index];
        }
        return new ImageDataset(pixels, labels, Height, Width, Channels, ClassNames);
    }

    /// <summary>
    /// The first <paramref name="perClass"/> images of every class, kept in their original order: a deterministic,
    /// balanced subset (a class with fewer images contributes all it has).
    /// </summary>
    /// <param name="perClass">The number of images to keep per class; must be positive.</param>
    public ImageDataset TakeFirstPerClass(int perClass)
    {
        if (perClass <= 0)
            throw new ArgumentOutOfRangeException(nameof(perClass), perClass, $"The 'perClass' count must be positive; got {perClass}.");
        var taken = new int[ClassNames.Length];
        var indices = new List<int>(Math.Min(Count, perClass * ClassNames.Length));
        for (int i = 0; i < Count; i++)
        {
            if (taken[Labels[i]] < perClass)
            {
                taken[Labels[i]]++;
                indices.Add(i);
            }
        }
        return Select(indices);
    }

    /// <summary>
    /// An ML.NET view of the images with a <c>Features</c> column (vector of <see cref="float"/>, length
    /// <see cref="FeatureLength"/>, values <c>byte / 255f</c>) and a <c>Label</c> column (text, the class name).
    /// The view reads the arrays in place: nothing is copied, and nothing is allocated per row.
    /// </summary>
    /// <param name="mlContext">The ML.NET context the view will be used with.</param>
    public IDataView ToDataView(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new InMemoryDataView(
            Count,
            new PixelColumn(FeaturesColumnName, Pixels, FeatureLength),
            new IndexedTextColumn(LabelColumnName, ClassNames, Labels));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Count} images of {Channels}×{Height}×{Width} in {ClassNames.Length} classes";
}
