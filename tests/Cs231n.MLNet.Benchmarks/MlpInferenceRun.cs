using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// Inference throughput of the 784-512-256-10 network through ML.NET: <c>Transform</c> of the 10,000 Fashion-MNIST
/// test rows from a cached data view, then a cursor over <c>Score</c> (softmax probabilities), as compare_torch.py
/// times PyTorch's forward pass in batches of 1,000. The same for the linear models.
/// </summary>
internal static class MlpInferenceRun
{
    public static void Time(int repetitions)
    {
        if (!Data.FashionMnist.TryFindInstalled(out string directory))
            return;
        var mlContext = new MLContext(seed: 0);
        var raw = Data.FashionMnist.LoadTrain(directory).ToDataView(mlContext);
        var keys = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(raw);
        var train = keys.Transform(raw);
        var test = mlContext.Data.Cache(keys.Transform(Data.FashionMnist.LoadTest(directory).ToDataView(mlContext)));
        // The cache fills on its first pass; fill it now, so that the first timed call measures scoring, as PyTorch's
        // first call starts from a tensor already in memory.
        CachedRows.Fill(test);
        var models = new (string Name, Func<ITransformer> Fit)[]
        {
            ("MLP 784-512-256-10", () => mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(new MultilayerPerceptronTrainer.Options
                { HiddenLayerSizes = [512, 256], NumberOfEpochs = 1, BatchSize = 128 }).Fit(train)),
            ("Softmax", () => mlContext.MulticlassClassification.Trainers.Softmax().Fit(train)),
        };
        foreach (var (name, fit) in models)
        {
            ITransformer model = fit();
            var seconds = new List<double>();
            double checksum = 0;
            for (int r = 0; r < repetitions; r++)
            {
                var stopwatch = Stopwatch.StartNew();
                checksum = ScoreAll(model.Transform(test));
                seconds.Add(stopwatch.Elapsed.TotalSeconds);
            }
            double first = seconds[0], best = seconds.Skip(1).DefaultIfEmpty(first).Min();
            if (FashionMnist.TryLoad() is { } images)
            {
                Cs231nModelParameters parameters = ((dynamic)model).Model;
                var features = images.TestImages;
                var scores = new float[10000 * 10];
                var kernelTimes = new List<double>();
                for (int r = 0; r < repetitions; r++)
                {
                    var watch = Stopwatch.StartNew();
                    parameters.Score(features, 10000, scores);
                    kernelTimes.Add(watch.Elapsed.TotalMilliseconds);
                }
                Console.WriteLine($"{name} model scoring alone (10,000 rows in one call): runs [{string.Join(", ", kernelTimes.Select(s => s.ToString("F1")))}] ms");
            }
            Console.WriteLine($"{name} inference, Transform + Score cursor over 10,000 rows: first call {first * 1e3:F1} ms ({10000 / first:F0} images/s), " +
                $"warm best {best * 1e3:F1} ms ({10000 / best:F0} images/s), runs [{string.Join(", ", seconds.Select(s => (s * 1e3).ToString("F1")))}] ms; score checksum {checksum:F3}");
        }
    }

    /// <summary>Reads every row's Score vector, as a consumer of the scored data view does.</summary>
    private static double ScoreAll(IDataView scored)
    {
        var column = scored.Schema["Score"];
        using var cursor = scored.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> scores = default;
        double sum = 0;
        while (cursor.MoveNext())
        {
            getter(ref scores);
            var values = scores.GetValues();
            sum += values[0];
        }
        return sum;
    }
}
