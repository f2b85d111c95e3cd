using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.TestSupport;

/// <summary>One row of generated data: a class name and a feature vector.</summary>
public sealed class LabelledRow
{
    public string Label { get; set; } = "";

    [VectorType]
    public float[] Features { get; set; } = Array.Empty<float>();
}

/// <summary>Small generated data sets with known structure.</summary>
public static class SyntheticData
{
    /// <summary>Gaussian blobs: class c is centred at a random point; rows are shuffled by the seed.</summary>
    public static List<LabelledRow> Blobs(int rowsPerClass, int classCount, int dimension, float spread, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, classCount)
            .Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 10)).ToArray()).ToArray();
        var rows = new List<LabelledRow>();
        for (int i = 0; i < rowsPerClass; i++)
        {
            for (int c = 0; c < classCount; c++)
            {
                var x = new float[dimension];
                for (int d = 0; d < dimension; d++)
                    x[d] = centres[c][d] + spread * (float)Gaussian(random);
                rows.Add(new LabelledRow { Label = $"class{c}", Features = x });
            }
        }
        return rows.OrderBy(_ => random.Next()).ToList();
    }

    public static IDataView ToDataView(MLContext mlContext, IEnumerable<LabelledRow> rows, int dimension)
        => mlContext.Data.LoadFromEnumerable(rows, SchemaFor(dimension));

    /// <summary>The schema of <see cref="LabelledRow"/> with the feature vector's size fixed, as trainers require.</summary>
    public static SchemaDefinition SchemaFor(int dimension)
    {
        var schema = SchemaDefinition.Create(typeof(LabelledRow));
        schema[nameof(LabelledRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return schema;
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
