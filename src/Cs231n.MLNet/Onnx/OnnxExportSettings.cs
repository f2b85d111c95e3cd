namespace Cs231n.MLNet.Onnx;

/// <summary>
/// Process-wide switches of the ONNX writers that exist for measurement, not for users: the benchmarks export a kNN
/// graph with single-precision distances to count how many answers double precision changes.
/// </summary>
internal static class OnnxExportSettings
{
    /// <summary>The precision of exported kNN distances: <see cref="OnnxElementType.Double"/> (exact, the default) or <see cref="OnnxElementType.Float"/>.</summary>
    public static OnnxElementType KnnDistanceType { get; set; } = OnnxElementType.Double;
}
