using System.Diagnostics;
using Microsoft.ML;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// Fit time of the linear classifiers against ML.NET's SDCA on full Fashion-MNIST, in one process, each fitted
/// several times: the first fit of each also pays for JIT compilation, the later ones show the steady state.
/// </summary>
internal static class LinearFitRun
{
    public static void Time(int repetitions)
    {
        if (!Data.FashionMnist.TryFindInstalled(out string directory))
            return;
        var mlContext = new MLContext(seed: 0);
        var raw = Data.FashionMnist.LoadTrain(directory).ToDataView(mlContext);
        var test = Data.FashionMnist.LoadTest(directory).ToDataView(mlContext);
        var keys = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(raw);
        var train = keys.Transform(raw);
        var trainers = new (string Name, Func<IEstimator<ITransformer>> Create)[]
        {
            ("Softmax()", () => mlContext.MulticlassClassification.Trainers.Softmax()),
            ("MulticlassSvm()", () => mlContext.MulticlassClassification.Trainers.MulticlassSvm()),
            ("SdcaMaximumEntropy()", () => mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
        };
        foreach (var (name, create) in trainers)
        {
            var seconds = new List<double>();
            double accuracy = 0;
            for (int r = 0; r < repetitions; r++)
            {
                var stopwatch = Stopwatch.StartNew();
                var model = create().Fit(train);
                seconds.Add(stopwatch.Elapsed.TotalSeconds);
                accuracy = mlContext.MulticlassClassification.Evaluate(model.Transform(keys.Transform(test))).MicroAccuracy;
            }
            Console.WriteLine($"{name,-22} fit (reads the data view) runs [{string.Join(", ", seconds.Select(s => s.ToString("F2")))}] s, test accuracy {accuracy:F4}");
        }
    }
}
