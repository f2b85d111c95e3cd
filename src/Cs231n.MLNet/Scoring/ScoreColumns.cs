using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Scoring;

/// <summary>
/// Builds the <c>PredictedLabel</c> and <c>Score</c> columns with exactly the types and annotations that ML.NET's own
/// multiclass scorer gives them, so <c>Evaluate</c>, <c>MapKeyToValue</c> and every other consumer treat our
/// output as they treat a built-in trainer's.
/// </summary>
internal static class ScoreColumns
{
    private const string ScoreColumnKind = "ScoreColumnKind";
    private const string ScoreValueKind = "ScoreValueKind";
    private const string ScoreColumnSetId = "ScoreColumnSetId";
    private const string TrainingLabelValues = "TrainingLabelValues";
    private const string Multiclass = "MulticlassClassification";
    private const string KeyValues = "KeyValues";
    private const string SlotNames = "SlotNames";

    private static readonly KeyDataViewType ScoreColumnSetIdType = new(typeof(uint), int.MaxValue);
    private static readonly MethodInfo AddKeyValuesMethod = typeof(ScoreColumns).GetMethod(nameof(AddKeyValues), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static (DataViewSchema.DetachedColumn PredictedLabel, DataViewSchema.DetachedColumn Score) Create(
        DataViewSchema inputSchema, DataViewSchema.Column trainingLabel, int classCount,
        string predictedLabelColumnName, string scoreColumnName)
    {
        uint setId = NextScoreColumnSetId(inputSchema);
        var keyValues = trainingLabel.Annotations.Schema.GetColumnOrNull(KeyValues);
        bool hasKeyValues = keyValues?.Type is VectorDataViewType kv && kv.Size == classCount;

        var predicted = new DataViewSchema.Annotations.Builder();
        AddText(predicted, ScoreColumnKind, Multiclass);
        AddText(predicted, ScoreValueKind, "PredictedLabel");
        if (hasKeyValues)
            AddKeyValuesGeneric(predicted, trainingLabel.Annotations, keyValues!.Value, KeyValues, alsoSlotNames: false);
        predicted.Add(ScoreColumnSetId, ScoreColumnSetIdType, (ref uint v) => v = setId);

        var score = new DataViewSchema.Annotations.Builder();
        AddText(score, ScoreColumnKind, Multiclass);
        score.Add(ScoreColumnSetId, ScoreColumnSetIdType, (ref uint v) => v = setId);
        AddText(score, ScoreValueKind, "Score");
        if (hasKeyValues)
            AddKeyValuesGeneric(score, trainingLabel.Annotations, keyValues!.Value, TrainingLabelValues, alsoSlotNames: true);

        return (
            new DataViewSchema.DetachedColumn(predictedLabelColumnName, new KeyDataViewType(typeof(uint), classCount), predicted.ToAnnotations()),
            new DataViewSchema.DetachedColumn(scoreColumnName, new VectorDataViewType(NumberDataViewType.Single, classCount), score.ToAnnotations()));
    }

    /// <summary>One more than the largest score-column set id already in the schema, as ML.NET numbers them.</summary>
    private static uint NextScoreColumnSetId(DataViewSchema schema)
    {
        uint max = 0;
        foreach (var column in schema)
        {
            var id = column.Annotations.Schema.GetColumnOrNull(ScoreColumnSetId);
            if (id?.Type is KeyDataViewType { RawType: var raw } && raw == typeof(uint))
            {
                uint value = 0;
                column.Annotations.GetValue(ScoreColumnSetId, ref value);
                max = Math.Max(max, value);
            }
        }
        return max + 1;
    }

    private static void AddText(DataViewSchema.Annotations.Builder builder, string kind, string text)
        => builder.Add(kind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = text.AsMemory());

    private static void AddKeyValuesGeneric(DataViewSchema.Annotations.Builder builder, DataViewSchema.Annotations source,
        DataViewSchema.Column keyValues, string asKind, bool alsoSlotNames)
    {
        var itemType = ((VectorDataViewType)keyValues.Type).ItemType;
        AddKeyValuesMethod.MakeGenericMethod(itemType.RawType).Invoke(null, new object[] { builder, source, keyValues, asKind, alsoSlotNames });
    }

    private static void AddKeyValues<T>(DataViewSchema.Annotations.Builder builder, DataViewSchema.Annotations source,
        DataViewSchema.Column keyValues, string asKind, bool alsoSlotNames)
    {
        VBuffer<T> values = default;
        source.GetValue(keyValues.Name, ref values);
        var copy = values;
        builder.Add(asKind, keyValues.Type, (ref VBuffer<T> v) => copy.CopyTo(ref v));
        // ML.NET names the score slots after the classes only when the class names are text.
        if (alsoSlotNames && typeof(T) == typeof(ReadOnlyMemory<char>))
            builder.Add(SlotNames, keyValues.Type, (ref VBuffer<T> v) => copy.CopyTo(ref v));
    }
}
