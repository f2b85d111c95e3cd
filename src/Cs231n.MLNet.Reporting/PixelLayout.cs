namespace Cs231n.MLNet.Reporting;

/// <summary>How the values of a colour image are ordered in a flat vector.</summary>
public enum PixelLayout
{
    /// <summary>All of the first channel, then all of the second, … (<c>C×H×W</c>), as ML.NET's <c>ExtractPixels</c> writes by default.</summary>
    ChannelMajor,

    /// <summary>The channels of each pixel together (<c>H×W×C</c>), as CIFAR-10 arrays are often reshaped in NumPy.</summary>
    Interleaved,
}
