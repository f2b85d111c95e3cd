namespace Cs231n.MLNet.Onnx;

/// <summary>
/// One attribute of an ONNX node. The value is a <see cref="long"/>, a <see cref="long"/> array, a <see cref="float"/>
/// or an <see cref="OnnxElementType"/> (the <c>to</c> of a <c>Cast</c>); the adapter to the ONNX writer maps each.
/// </summary>
internal readonly record struct OnnxAttribute(string Name, object Value)
{
    public static OnnxAttribute Int(string name, long value) => new(name, value);

    public static OnnxAttribute Ints(string name, params long[] values) => new(name, values);

    public static OnnxAttribute Float(string name, float value) => new(name, value);

    public static OnnxAttribute Type(string name, OnnxElementType value) => new(name, value);
}
