namespace Cs231n.MLNet;

/// <summary>One of the nearest training rows to a query, as <see cref="KNearestNeighborsModelParameters.FindNeighbors"/> returns it.</summary>
/// <param name="Index">Position of the row in the training data (after rows with missing labels or non-finite features were skipped).</param>
/// <param name="Distance">Its distance to the query, in the model's <see cref="KnnDistance"/>.</param>
/// <param name="ClassIndex">Its class as a 0-based index: the label key minus one.</param>
public readonly record struct Neighbor(int Index, float Distance, int ClassIndex);
