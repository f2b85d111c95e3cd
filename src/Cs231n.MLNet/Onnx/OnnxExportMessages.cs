namespace Cs231n.MLNet.Onnx;

/// <summary>The explanations our steps give when the graph could not compute their input.</summary>
internal static class OnnxExportMessages
{
    private const string Remedy = "Export only the steps after it: cache the data those steps read (for images, the pixel vectors; " +
        "mlContext.Data.Cache or AppendCacheCheckpoint), fit and convert the rest of the pipeline on that data, and have the serving side " +
        "compute those columns before calling the model.";

    public static NotSupportedException EarlierStepNotExportable(string component, string stepName)
        => new($"ONNX export of {component} is not possible: an earlier step of the pipeline ({stepName}) cannot be exported to ONNX, " +
            "so ML.NET's exporter would cut the pipeline there and feed the graph the pipeline's input columns in place of that step's output. " +
            Remedy);

    public static NotSupportedException InputNotExported(string component, string columnName)
        => new($"ONNX export of {component} is not possible: its input column '{columnName}' is computed by an earlier step that cannot be " +
            "exported to ONNX (for example LoadImages, ResizeImages or ExtractPixels), so the graph would have nothing to read it from. " +
            Remedy);
}
