namespace Cs231n.MLNet.Reporting;

/// <summary>Options of <see cref="WeightImageGrid"/>: the shape of each image and the layout of the grid.</summary>
public sealed class WeightImageOptions
{
    /// <summary>The height of one image in pixels, e.g. 28 for Fashion-MNIST.</summary>
    public int ImageHeight = 28;

    /// <summary>The width of one image in pixels.</summary>
    public int ImageWidth = 28;

    /// <summary>The number of channels: 1 (grayscale) or 3 (red, green, blue).</summary>
    public int Channels = 1;

    /// <summary>The order of the values of a colour image.</summary>
    public PixelLayout Layout = PixelLayout.ChannelMajor;

    /// <summary>How values are mapped to pixel intensities.</summary>
    public WeightScaling Scaling = WeightScaling.PerImage;

    /// <summary>
    /// One caption per image (e.g. class names) drawn under it; null for none. A trainer's weight rows follow the
    /// label's key order, which <c>MapValueToKey</c> by default takes from the order labels first appear in the
    /// data: map with <c>keyOrdinality: ByValue</c> (or read the key names) so captions match their rows.
    /// </summary>
    public IReadOnlyList<string>? Captions;

    /// <summary>The title above the grid; null for none.</summary>
    public string? Title;

    /// <summary>The number of images per row; 0 chooses (one row for up to 10 images, else a square-ish grid).</summary>
    public int Columns;

    /// <summary>
    /// The nearest-neighbour upscaling factor of each image (1 to 64); 0 chooses one so that an image is about
    /// 112 pixels wide (about 56 for grids of more than 36 images).
    /// </summary>
    public int Scale;

    /// <summary>The gap between images, in output pixels.</summary>
    public int Padding = 6;
}
