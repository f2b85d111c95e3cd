using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>Builds <see cref="SchemaShape"/> columns for float-vector outputs (SchemaShape's column constructor is internal).</summary>
internal static class VectorShapes
{
    private const string SlotNames = "SlotNames";

    /// <summary>
    /// <paramref name="input"/> with a known-size <see cref="float"/> vector column named <paramref name="outputColumnName"/>
    /// added (or replacing a same-named column), carrying the slot names of <paramref name="source"/> when it has them.
    /// </summary>
    public static SchemaShape WithFloatVector(SchemaShape input, string outputColumnName, SchemaShape.Column source)
    {
        var columns = input.ToDictionary(c => c.Name);
        var annotations = new List<SchemaShape.Column>();
        if (source.Annotations.TryFindColumn(SlotNames, out var slotNames))
            annotations.Add(slotNames);
        columns[outputColumnName] = new(outputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single,
            isKey: false, new SchemaShape(annotations));
        return new SchemaShape(columns.Values);
    }
}
