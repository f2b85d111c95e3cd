namespace Cs231n.MLNet.Reporting;

/// <summary>How weight values are mapped to the 0–255 range of pixels.</summary>
public enum WeightScaling
{
    /// <summary>Each image is stretched from its own minimum to its own maximum, as CS231n shows templates.</summary>
    PerImage,

    /// <summary>All images share the overall minimum and maximum, so their contrasts can be compared.</summary>
    Shared,
}
