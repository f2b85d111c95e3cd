namespace Compare.Contenders;

/// <summary>What a contender needs to draw its pictures.</summary>
/// <param name="OutputFolder">Where the PNGs go.</param>
/// <param name="ClassNames">The class names in key order.</param>
/// <param name="ImageHeight">Image height in pixels, to show weight vectors as images.</param>
/// <param name="ImageWidth">Image width in pixels.</param>
/// <param name="Channels">1 for grayscale, 3 for RGB (channel-major).</param>
internal sealed record PictureContext(string OutputFolder, IReadOnlyList<string> ClassNames, int ImageHeight, int ImageWidth, int Channels)
{
    /// <summary>The full path of a picture file.</summary>
    public string PathOf(string fileName) => Path.Combine(OutputFolder, fileName);
}
