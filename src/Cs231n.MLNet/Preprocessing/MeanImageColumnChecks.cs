using Cs231n.MLNet.MLNetInternals;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Preprocessing;

/// <summary>
/// The checks on the column a mean image is computed from and subtracted from, with messages that name the column,
/// what was found, and the transform that fixes it.
/// </summary>
internal static class MeanImageColumnChecks
{
    private const string Fix = "produce it with ExtractPixels (outputAsFloatArray: true, the default), Concatenate or ConvertType(outputKind: DataKind.Single)";

    /// <summary>Finds a known-size vector of <see cref="float"/> and returns its length in <paramref name="featureCount"/>.</summary>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, out int featureCount)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(name,
                $"Input column '{name}' of SubtractMeanImage was not found in the data (columns: {Available(schema.Where(c => !c.IsHidden).Select(c => c.Name))}); " +
                "pass the right inputColumnName.");
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single || !vector.IsKnownSize)
            throw new ArgumentOutOfRangeException(name,
                $"Input column '{name}' of SubtractMeanImage must be a known-size vector of Single but is {column.Type}; {Fix}.");
        featureCount = vector.Size;
        return column;
    }

    /// <summary>The same checks on the shape an estimator sees before any data is read.</summary>
    public static SchemaShape.Column Find(SchemaShape shape, string name)
    {
        if (!SchemaShapes.TryFind(shape, name, out var column))
            throw new ArgumentOutOfRangeException(name,
                $"Input column '{name}' of SubtractMeanImage was not found in the input schema (columns: {Available(shape.Select(c => c.Name))}); pass the right inputColumnName.");
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single || column.IsKey)
            throw new ArgumentOutOfRangeException(name,
                $"Input column '{name}' of SubtractMeanImage must be a known-size vector of Single but is {Describe(column)}; {Fix}.");
        return column;
    }

    /// <summary>The column a fitted transformer reads must also have the length of its mean image.</summary>
    public static DataViewSchema.Column FindForMean(DataViewSchema schema, string name, int meanLength)
    {
        var column = Find(schema, name, out int featureCount);
        if (featureCount != meanLength)
            throw new ArgumentOutOfRangeException(name,
                $"Input column '{name}' has {featureCount} values per row but the mean image was computed from {meanLength}; " +
                "featurize the data as at fitting time (same image size and colour channels).");
        return column;
    }

    private static string Describe(SchemaShape.Column column)
    {
        string kind = column.Kind switch
        {
            SchemaShape.Column.VectorKind.Scalar => "a scalar",
            SchemaShape.Column.VectorKind.VariableVector => "a vector of unknown size",
            _ => "a vector",
        };
        return $"{kind} of {(column.IsKey ? "key " : "")}{column.ItemType}";
    }

    private static string Available(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
