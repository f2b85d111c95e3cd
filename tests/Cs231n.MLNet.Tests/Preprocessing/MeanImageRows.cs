using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.Preprocessing;

/// <summary>A row of features with an optional class name, for small hand-written data.</summary>
public sealed class FeatureRow
{
    public string Label { get; set; } = "";

    [VectorType]
    public float[] Features { get; set; } = Array.Empty<float>();
}

/// <summary>A row whose feature vector is an ML.NET buffer, so tests can feed sparse vectors.</summary>
public sealed class BufferRow
{
    public VBuffer<float> Features { get; set; }
}

internal static class MeanImageRows
{
    public static IDataView View(MLContext mlContext, params float[][] rows)
        => View(mlContext, rows.Select(r => new FeatureRow { Label = "a", Features = r }).ToList());

    public static IDataView View(MLContext mlContext, IReadOnlyList<FeatureRow> rows)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows[0].Features.Length);
        return mlContext.Data.LoadFromEnumerable(rows, schema);
    }

    public static float[][] Column(IDataView data, string name)
        => data.GetColumn<VBuffer<float>>(name).Select(v => v.DenseValues().ToArray()).ToArray();
}
