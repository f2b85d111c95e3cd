namespace Cs231n.MLNet;

/// <summary>How the k nearest neighbours vote for a class.</summary>
public enum KnnWeighting
{
    /// <summary>Every neighbour casts one vote.</summary>
    Uniform,

    /// <summary>
    /// A neighbour's vote weighs 1/distance; neighbours at distance 0 (exact matches) win outright and share the
    /// vote equally, as in scikit-learn.
    /// </summary>
    Distance,
}
