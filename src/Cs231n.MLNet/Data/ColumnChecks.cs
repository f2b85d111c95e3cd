using Cs231n.MLNet.MLNetInternals;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Data;

/// <summary>
/// The checks on the columns this package reads (a trainer's label and features, a transform's input), on the data
/// itself and on the shape an estimator sees before any data is read. Every message names the column, what was found,
/// and the transform or argument that fixes it.
/// </summary>
internal static class ColumnChecks
{
    private const string VectorFix = "build it with Concatenate, ConvertType(outputKind: DataKind.Single) or ExtractPixels";

    /// <summary>The column named <paramref name="name"/>; <paramref name="role"/> says what it is for ("Label",
    /// "Feature", "Input"), <paramref name="argument"/> which argument names it, <paramref name="owner"/> (optional)
    /// which component reads it.</summary>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string argument, string? owner = null)
        => schema.GetColumnOrNull(name)
            ?? throw NotFound(name, role, argument, owner, "data", schema.Where(c => !c.IsHidden).Select(c => c.Name));

    /// <summary>The same lookup on the shape an estimator sees before any data is read.</summary>
    public static SchemaShape.Column Find(SchemaShape shape, string name, string role, string argument, string? owner = null)
        => SchemaShapes.TryFind(shape, name, out var column)
            ? column
            : throw NotFound(name, role, argument, owner, "schema", shape.Select(c => c.Name));

    /// <summary>Returns the number of classes: the label key type's count.</summary>
    public static int CheckLabel(DataViewSchema.Column column)
    {
        if (column.Type is not KeyDataViewType key)
            throw new ArgumentOutOfRangeException(column.Name,
                $"Label column '{column.Name}' must be a key type but is {column.Type}; add " +
                $"mlContext.Transforms.Conversion.MapValueToKey(\"{column.Name}\") before this trainer.");
        if (key.RawType != typeof(uint))
            throw new ArgumentOutOfRangeException(column.Name,
                $"Label column '{column.Name}' must be a key of UInt32 but is {column.Type}; produce it with MapValueToKey.");
        if (key.Count == 0 || key.Count > int.MaxValue)
            throw new ArgumentOutOfRangeException(column.Name,
                $"Label column '{column.Name}' must have a known number of classes but its key type is {column.Type}; produce it with MapValueToKey.");
        return (int)key.Count;
    }

    public static void CheckLabel(SchemaShape.Column column)
    {
        if (!column.IsKey)
            throw new ArgumentOutOfRangeException(column.Name,
                $"Label column '{column.Name}' must be a key type but is {column.ItemType}; add " +
                $"mlContext.Transforms.Conversion.MapValueToKey(\"{column.Name}\") before this trainer.");
    }

    /// <summary>Returns the length of a known-size vector of <see cref="float"/>.</summary>
    public static int CheckFloatVector(DataViewSchema.Column column, string role, string? owner = null)
    {
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single || !vector.IsKnownSize)
            throw NotFloatVector(column.Name, role, owner, $"{column.Type}");
        return vector.Size;
    }

    public static void CheckFloatVector(SchemaShape.Column column, string role, string? owner = null)
    {
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single || column.IsKey)
            throw NotFloatVector(column.Name, role, owner, Describe(column));
    }

    /// <summary>A column read by a fitted model must have the length it was fitted on.</summary>
    public static int CheckLength(DataViewSchema.Column column, string role, string? owner, int fittedLength, string fittedOn, string fix)
    {
        int length = CheckFloatVector(column, role, owner);
        if (length != fittedLength)
            throw new ArgumentOutOfRangeException(column.Name,
                $"{role} column '{column.Name}' has {length} values per row but {fittedOn} {fittedLength}; {fix}.");
        return length;
    }

    private static ArgumentOutOfRangeException NotFound(string name, string role, string argument, string? owner, string where, IEnumerable<string> available)
        => new(name, $"{role} column '{name}'{Of(owner)} was not found in the input {where} (columns: {string.Join(", ", available.Select(n => $"'{n}'"))}); " +
            $"pass the right name as the {argument} argument.");

    private static ArgumentOutOfRangeException NotFloatVector(string name, string role, string? owner, string found)
        => new(name, $"{role} column '{name}'{Of(owner)} must be a vector of Single with a known size but is {found}; {VectorFix}.");

    private static string Of(string? owner) => owner is null ? "" : $" of {owner}";

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
}
