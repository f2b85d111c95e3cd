using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>Builds the <see cref="SchemaShape"/> a fitted scorer will have (SchemaShape's column constructor is internal).</summary>
internal static class SchemaShapes
{
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
