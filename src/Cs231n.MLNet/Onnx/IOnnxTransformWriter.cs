namespace Cs231n.MLNet.Onnx;

/// <summary>
/// How one of our data transforms writes itself into an ONNX graph. The adapter in MLNetInternals calls
/// <see cref="CheckExportable"/> when ML.NET's exporter walks the pipeline, before anything is written, and
/// <see cref="Write"/> when the transform's turn comes.
/// </summary>
internal interface IOnnxTransformWriter
{
    /// <summary>Name of the step, as the exporter reports it.</summary>
    string Name { get; }

    /// <summary>The lowest ONNX opset the written graph needs.</summary>
    int MinimumOpset { get; }

    /// <summary>Throws <see cref="NotSupportedException"/> naming the component and the reason when it cannot be expressed.</summary>
    void CheckExportable();

    /// <summary>Writes the nodes computing this transform's output columns from the columns already in <paramref name="graph"/>.</summary>
    void Write(IOnnxGraph graph);
}
