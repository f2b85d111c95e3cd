namespace Cs231n.MLNet;

/// <summary>The distance a k-nearest-neighbours model measures between feature vectors.</summary>
public enum KnnDistance
{
    /// <summary>Manhattan distance, <c>Σ|xᵢ − yᵢ|</c>.</summary>
    L1,

    /// <summary>Euclidean distance, <c>√Σ(xᵢ − yᵢ)²</c>.</summary>
    L2,

    /// <summary>Cosine distance, <c>1 − x·y / (‖x‖‖y‖)</c>; a zero vector is at distance 1 from everything.</summary>
    Cosine,
}
