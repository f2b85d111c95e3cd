using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Onnx;

/// <summary>
/// The ONNX graph being written, as our graph writers see it: the data-view columns computed so far, and nodes and
/// constant tensors to add. Writers only emit nodes; the adapter over ML.NET's exporter lives in MLNetInternals.
/// ML.NET's exporter targets opset 9 to 12, so writers use operators as they are defined in opset 12 (for example
/// <c>ReduceSum</c> takes its axes as an attribute).
/// </summary>
internal interface IOnnxGraph
{
    /// <summary>The ONNX variable holding data-view column <paramref name="columnName"/>, if an exported step computes it.</summary>
    bool TryGetColumn(string columnName, out string variable);

    /// <summary>Declares the variable that will hold the new data-view column <paramref name="columnName"/>.</summary>
    string DeclareColumn(string columnName, DataViewType type);

    /// <summary>A fresh intermediate variable name starting with <paramref name="hint"/> (its type is inferred).</summary>
    string NewVariable(string hint);

    /// <summary>Adds a node of the standard ONNX domain.</summary>
    void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params OnnxAttribute[] attributes);

    /// <summary>Adds a constant float tensor of shape <paramref name="dims"/> and returns its name.</summary>
    string AddTensor(string hint, float[] values, long[] dims);

    /// <summary>Adds a constant double tensor of shape <paramref name="dims"/> and returns its name.</summary>
    string AddTensor(string hint, double[] values, long[] dims);

    /// <summary>Adds a constant 64-bit integer tensor of shape <paramref name="dims"/> and returns its name.</summary>
    string AddTensor(string hint, long[] values, long[] dims);
}
