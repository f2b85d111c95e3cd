using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Training;

/// <summary>
/// The checks every trainer applies to its label and feature columns, with messages that name the column, what was
/// found, and the transform that fixes it.
/// </summary>
internal static class ColumnChecks
{
    public static DataViewSchema.Column FindColumn(DataViewSchema schema, string name, string role)
    {
        var column = schema.GetColumnOrNull(name);
        if (column == null)
        {
            string available = string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"));
            throw new ArgumentOutOfRangeException(name,
                $"{role} column '{name}' was not found in the input data (columns: {available}). " +
                $"Pass the right name as the trainer's {(role == "Label" ? "labelColumnName" : "featureColumnName")} argument.");
        }
        return column.Value;
    }

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

    /// <summary>Returns the feature vector length.</summary>
    public static int CheckFeatures(DataViewSchema.Column column)
    {
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single || !vector.IsKnownSize)
            throw new ArgumentOutOfRangeException(column.Name,
                $"Feature column '{column.Name}' must be a vector of Single with a known size but is {column.Type}; " +
                "build it with Concatenate, ConvertType(outputKind: DataKind.Single) or ExtractPixels.");
        return vector.Size;
    }

    public static void CheckLabelShape(SchemaShape.Column column)
    {
        if (!column.IsKey)
            throw new ArgumentOutOfRangeException(column.Name,
                $"Label column '{column.Name}' must be a key type but is {column.ItemType}; add " +
                $"mlContext.Transforms.Conversion.MapValueToKey(\"{column.Name}\") before this trainer.");
    }

    public static void CheckFeaturesShape(SchemaShape.Column column)
    {
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(column.Name,
                $"Feature column '{column.Name}' must be a vector of Single with a known size but is " +
                $"{column.Kind} of {column.ItemType}; build it with Concatenate, ConvertType or ExtractPixels.");
    }
}
