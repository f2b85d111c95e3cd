using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>Finds <see cref="SchemaShape"/> columns and builds the shape a fitted scorer will have (SchemaShape's lookup and column constructor are internal).</summary>
internal static class SchemaShapes
{
    /// <summary>The column of <paramref name="shape"/> named <paramref name="name"/>, if there is one (SchemaShape's lookup is internal).</summary>
    public static bool TryFind(SchemaShape shape, string name, out SchemaShape.Column column) =>
        shape.TryFindColumn(name, out column);

    public static SchemaShape WithScoreColumns(SchemaShape input, SchemaShape.Column label)
    {
        var columns = input.ToDictionary(c => c.Name);
        var scoreAnnotations = new List<SchemaShape.Column>
        {
            Text("ScoreColumnKind"), Text("ScoreValueKind"),
            new("ScoreColumnSetId", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, isKey: true),
        };
        var predictedAnnotations = new List<SchemaShape.Column>(scoreAnnotations);
        if (label.Annotations.TryFindColumn("KeyValues", out var keyValues))
        {
            predictedAnnotations.Add(keyValues);
            scoreAnnotations.Add(new("TrainingLabelValues", keyValues.Kind, keyValues.ItemType, keyValues.IsKey));
            if (keyValues.ItemType is TextDataViewType)
                scoreAnnotations.Add(new("SlotNames", keyValues.Kind, keyValues.ItemType, keyValues.IsKey));
        }
        columns["PredictedLabel"] = new("PredictedLabel", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, isKey: true, new SchemaShape(predictedAnnotations));
        columns["Score"] = new("Score", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, isKey: false, new SchemaShape(scoreAnnotations));
        return new SchemaShape(columns.Values);
    }

    private static SchemaShape.Column Text(string name)
        => new(name, SchemaShape.Column.VectorKind.Scalar, TextDataViewType.Instance, isKey: false);
}
