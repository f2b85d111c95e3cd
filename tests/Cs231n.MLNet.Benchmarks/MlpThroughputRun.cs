using System.Diagnostics;
using Microsoft.ML;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// Training throughput of the 784-512-256-10 network at batch 128 on full Fashion-MNIST, through the ML.NET trainer:
/// samples per second of whole Fit calls (including reading the data and the per-epoch accuracy measurements), with
/// Adam and with SGD-momentum, dropout off, as the PyTorch comparison in compare_torch.py trains.
/// </summary>
internal static class MlpThroughputRun
{
    public static void Time(int epochs)
    {
        if (!Data.FashionMnist.TryFindInstalled(out string directory))
            return;
        var mlContext = new MLContext(seed: 0);
        var raw = Data.FashionMnist.LoadTrain(directory).ToDataView(mlContext);
        var train = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        foreach (var optimizer in new[] { OptimizationAlgorithm.Adam, OptimizationAlgorithm.Momentum })
        {
            for (int r = 0; r < 2; r++)
            {
                var options = new MultilayerPerceptronTrainer.Options
                {
                    HiddenLayerSizes = [512, 256],
                    NumberOfEpochs = epochs,
                    BatchSize = 128,
                    DropoutRate = 0,
                    Optimizer = optimizer,
                };
                var stopwatch = Stopwatch.StartNew();
                var epochEnds = new EpochClock(stopwatch);
                options.Progress = epochEnds;
                mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(options).Fit(train);
                double seconds = stopwatch.Elapsed.TotalSeconds;
                Console.WriteLine($"MLP 784-512-256-10, batch 128, {optimizer}, {epochs} epochs: {seconds:F2} s, {60000.0 * epochs / seconds:F0} samples/s (whole Fit; epochs ended at {epochEnds})");
            }
        }
    }
}

/// <summary>The Fit-relative times at which epochs end (reported on the training thread), to separate the set-up and
/// the final checks from the epochs.</summary>
internal sealed class EpochClock(Stopwatch fit) : IProgress<TrainingProgress>
{
    private readonly List<double> _ends = [];

    public void Report(TrainingProgress value) => _ends.Add(fit.Elapsed.TotalSeconds);

    public override string ToString() => string.Join(", ", _ends.Select(e => $"{e:F2} s"));
}
