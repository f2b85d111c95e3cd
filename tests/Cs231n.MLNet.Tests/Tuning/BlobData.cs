using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.Tuning;

/// <summary>Small, well-separated Gaussian blobs: a classification problem whose best settings are known.</summary>
internal static class BlobData
{
    public const int Dimensions = 4;

    public sealed class Row
    {
        public uint Label { get; set; }

        [VectorType(Dimensions)]
        public float[] Features { get; set; } = [];

        /// <summary>Features that carry no information about the label.</summary>
        [VectorType(Dimensions)]
        public float[] Noise { get; set; } = [];
    }

    public static IDataView Create(MLContext mlContext, int rowsPerClass, int classes = 3, int seed = 7, float noise = 0.6f)
    {
        var random = new Random(seed);
        var rows = new List<Row>();
        for (var i = 0; i < rowsPerClass; i++)
        {
            for (var c = 0; c < classes; c++)
            {
                var features = new float[Dimensions];
                for (var d = 0; d < Dimensions; d++)
                    features[d] = (d == c % Dimensions ? 2f : 0f) + noise * Gaussian(random);
                var noiseFeatures = new float[Dimensions];
                for (var d = 0; d < Dimensions; d++)
                    noiseFeatures[d] = Gaussian(random);
                rows.Add(new Row { Label = (uint)c, Features = features, Noise = noiseFeatures });
            }
        }
        return mlContext.Data.LoadFromEnumerable(rows);
    }

    /// <summary>Maps the numeric label to a key, as multiclass trainers need.</summary>
    public static IEstimator<ITransformer> LabelToKey(MLContext mlContext) =>
        mlContext.Transforms.Conversion.MapValueToKey("Label");

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
