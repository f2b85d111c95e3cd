namespace Cs231n.MLNet;

/// <summary>
/// Which class wins when several classes share the largest (weighted) vote of the k nearest neighbours. Both rules
/// give the same predicted label whatever order <c>MapValueToKey</c> numbered the classes in.
/// </summary>
public enum KnnTieBreaking
{
    /// <summary>
    /// The tied class of the nearest neighbour wins (equal distances: the earlier training row). Among the rules
    /// measured on Fashion-MNIST it is the most accurate, and it uses only the neighbours themselves.
    /// </summary>
    NearestNeighbor,

    /// <summary>
    /// The tied class with the lowest label value wins (values ordered as numbers, or as text ordinally):
    /// scikit-learn's rule, whatever the key order.
    /// </summary>
    LowestLabel,
}
