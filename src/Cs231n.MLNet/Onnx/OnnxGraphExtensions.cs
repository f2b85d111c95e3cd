namespace Cs231n.MLNet.Onnx;

/// <summary>Shorthands that keep the graph writers readable: one line per ONNX node.</summary>
internal static class OnnxGraphExtensions
{
    /// <summary>Adds a one-output node and returns its new output variable.</summary>
    public static string Op(this IOnnxGraph graph, string opType, string[] inputs, params OnnxAttribute[] attributes)
    {
        string output = graph.NewVariable(opType);
        graph.AddNode(opType, inputs, [output], attributes);
        return output;
    }

    /// <summary>Adds a one-input, one-output node and returns its new output variable.</summary>
    public static string Op(this IOnnxGraph graph, string opType, string input, params OnnxAttribute[] attributes)
        => graph.Op(opType, [input], attributes);

    public static string Cast(this IOnnxGraph graph, string input, OnnxElementType to)
        => graph.Op("Cast", input, OnnxAttribute.Type("to", to));

    public static string Scalar(this IOnnxGraph graph, string hint, float value) => graph.AddTensor(hint, [value], []);

    public static string Scalar(this IOnnxGraph graph, string hint, double value) => graph.AddTensor(hint, [value], []);

    public static string Scalar(this IOnnxGraph graph, string hint, long value) => graph.AddTensor(hint, [value], []);

    /// <summary>
    /// The input as N×D rows: ML.NET vectors may have several dimensions (ExtractPixels gives channels × height ×
    /// width), which the exporter keeps in the graph input's shape, while our models read flat rows.
    /// </summary>
    public static string FlattenRows(this IOnnxGraph graph, string input) => graph.Op("Flatten", input, OnnxAttribute.Int("axis", 1));

    /// <summary>Sums over <paramref name="axis"/>, keeping it as a dimension of 1 (opset 12: axes is an attribute).</summary>
    public static string ReduceSum(this IOnnxGraph graph, string input, long axis)
        => graph.Op("ReduceSum", input, OnnxAttribute.Ints("axes", axis), OnnxAttribute.Int("keepdims", 1));

    /// <summary>Columns [<paramref name="start"/>, <paramref name="end"/>) of a 2-D tensor.</summary>
    public static string SliceColumns(this IOnnxGraph graph, string input, long start, long end)
    {
        string starts = graph.AddTensor("SliceStart", [start], [1]);
        string ends = graph.AddTensor("SliceEnd", [end], [1]);
        string axes = graph.AddTensor("SliceAxis", [1L], [1]);
        return graph.Op("Slice", [input, starts, ends, axes]);
    }
}
