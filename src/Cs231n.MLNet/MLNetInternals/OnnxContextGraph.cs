using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;
using Cs231n.MLNet.Onnx;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>
/// Our <see cref="IOnnxGraph"/> over ML.NET's internal <see cref="OnnxContext"/>, the graph its exporter is building.
/// Every name we create is prefixed: the context maps names to data-view columns, and a bare name such as "Gemm"
/// could otherwise shadow a user's column of that name.
/// </summary>
internal sealed class OnnxContextGraph(OnnxContext context) : IOnnxGraph
{
    private const string Prefix = "cs231n.";

    public bool TryGetColumn(string columnName, out string variable)
    {
        variable = context.ContainsColumn(columnName) ? context.GetVariableName(columnName) : "";
        return variable.Length > 0;
    }

    public string DeclareColumn(string columnName, DataViewType type) => context.AddIntermediateVariable(type, columnName);

    // Intermediate values are declared without a type (skip: true) and ONNX Runtime infers them: several of ours are
    // double or int64 tensors, which have no data-view type.
    public string NewVariable(string hint) => context.AddIntermediateVariable(null, Prefix + hint, skip: true);

    public void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params OnnxAttribute[] attributes)
    {
        var node = context.CreateNode(opType, inputs, outputs, context.GetNodeName(Prefix + opType), "");
        foreach (var attribute in attributes)
        {
            switch (attribute.Value)
            {
                case long value:
                    node.AddAttribute(attribute.Name, value);
                    break;
                case long[] values:
                    node.AddAttribute(attribute.Name, (IEnumerable<long>)values);
                    break;
                case float value:
                    node.AddAttribute(attribute.Name, (double)value);
                    break;
                case OnnxElementType type:
                    node.AddAttribute(attribute.Name, ClrType(type));
                    break;
                default:
                    throw new ArgumentException($"Attribute '{attribute.Name}' of {opType} has a value of unsupported type {attribute.Value?.GetType().Name ?? "null"}.", nameof(attributes));
            }
        }
    }

    public string AddTensor(string hint, float[] values, long[] dims)
        => dims.Length == 0 ? context.AddInitializer(values.Single(), Prefix + hint) : context.AddInitializer(values, dims, Prefix + hint);

    public string AddTensor(string hint, double[] values, long[] dims)
        => dims.Length == 0 ? context.AddInitializer(values.Single(), Prefix + hint) : context.AddInitializer(values, dims, Prefix + hint);

    public string AddTensor(string hint, long[] values, long[] dims)
        => dims.Length == 0 ? context.AddInitializer(values.Single(), Prefix + hint) : context.AddInitializer(values, dims, Prefix + hint);

    private static Type ClrType(OnnxElementType type) => type switch
    {
        OnnxElementType.Float => typeof(float),
        OnnxElementType.Double => typeof(double),
        OnnxElementType.Int64 => typeof(long),
        OnnxElementType.UInt32 => typeof(uint),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown ONNX element type."),
    };
}
