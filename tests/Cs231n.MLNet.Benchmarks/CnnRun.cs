using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.ConvolutionalNetworks;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// The convolutional network on full Fashion-MNIST (pixels/255), for comparison with compare_torch_cnn.py:
/// <list type="bullet">
/// <item>the default <c>ConvolutionalNetwork(imageShape: [1, 28, 28])</c>: whole-Fit seconds, test accuracy and the
/// time at which each epoch ended (from the progress reports);</item>
/// <item>the data set's "2 Conv &lt;100K parameters" network (conv 5×5×32 pad 2 → ReLU → pool 2 → conv 5×5×64 pad 2 →
/// ReLU → pool 2 → affine 10, Adam 1e-3, batch 128) through the Options overload: training samples/s over
/// whole epochs, inference images/s through ML.NET's Transform (scored in blocks of 1,000 rows), and the latency of
/// one image through a PredictionEngine.</item>
/// </list>
/// </summary>
internal static class CnnRun
{
    /// <summary>The network PyTorch trains in compare_torch_cnn.py.</summary>
    public static ConvNetLayer[] TwoConvLayers() =>
    [
        new Convolution(32, 5, Padding: 2), new Activation(), new MaxPooling(2),
        new Convolution(64, 5, Padding: 2), new Activation(), new MaxPooling(2),
    ];

    public static void Run(string[] args)
    {
        if (!Data.FashionMnist.TryFindInstalled(out string directory))
        {
            Console.WriteLine("Full Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); nothing to run.");
            return;
        }
        var mlContext = new MLContext(seed: 0);
        var rawTrain = Data.FashionMnist.LoadTrain(directory).ToDataView(mlContext);
        var rawTest = Data.FashionMnist.LoadTest(directory).ToDataView(mlContext);
        var key = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(rawTrain);
        var train = mlContext.Data.Cache(key.Transform(rawTrain));
        var test = mlContext.Data.Cache(key.Transform(rawTest));
        Console.WriteLine($"Cs231n.MLNet CNN on full Fashion-MNIST, {Environment.ProcessorCount} cores (shared machines inflate every time below)");

        if (!args.Contains("--no-default"))
        {
            int epochsAt = Array.IndexOf(args, "--epochs");
            int? epochs = epochsAt >= 0 ? int.Parse(args[epochsAt + 1]) : null;
            var trainer = mlContext.MulticlassClassification.Trainers.ConvolutionalNetwork(imageShape: [1, 28, 28], numberOfEpochs: epochs);
            var clock = Stopwatch.StartNew();
            var model = FitWithProgress(mlContext, trainer, train, clock);
            double seconds = clock.Elapsed.TotalSeconds;
            var accuracy = mlContext.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            Console.WriteLine($"default ConvolutionalNetwork: Fit {seconds:F1} s, test accuracy {accuracy:F4}");
        }

        if (!args.Contains("--no-two-conv"))
        {
            int rowsAt = Array.IndexOf(args, "--rows");
            int rows = rowsAt >= 0 ? int.Parse(args[rowsAt + 1]) : 60_000;
            var trainRows = mlContext.Data.Cache(mlContext.Data.TakeRows(train, rows));
            var testRows = mlContext.Data.Cache(mlContext.Data.TakeRows(test, Math.Min(rows, 10_000)));
            // PyTorch's loop starts from tensors already in memory; ML.NET's cache fills on its first read, so fill it
            // before the clock starts and both time training from data in memory.
            CachedRows.Fill(trainRows);
            var solverClock = new SolverClock();
            var options = new ConvolutionalNetworkTrainer.Options
            {
                ImageShape = [1, 28, 28], Layers = TwoConvLayers(), NumberOfEpochs = 1, BatchSize = 128, LearningRate = 1e-3, CosineAnnealing = false,
                Progress = solverClock,
            };
            var clock = Stopwatch.StartNew();
            var model = mlContext.MulticlassClassification.Trainers.ConvolutionalNetwork(options).Fit(trainRows);
            double seconds = clock.Elapsed.TotalSeconds;
            var accuracy = mlContext.MulticlassClassification.Evaluate(model.Transform(testRows)).MicroAccuracy;
            Console.WriteLine($"2-conv network, Adam 1e-3, batch 128, 1 epoch on {rows} rows (first call, whole Fit from cached rows, incl. copying them in and the epoch's accuracy pass): {seconds:F1} s, {rows / seconds:F0} samples/s, test accuracy {accuracy:F4}");
            // PyTorch's figure times its training loop alone; the solver's epoch is that loop (plus its 2,000-row accuracy pass).
            double loop = solverClock.Elapsed.TotalSeconds;
            Console.WriteLine($"2-conv network, the solver's epoch within that Fit (the training loop, incl. its accuracy pass): {loop:F1} s, {rows / loop:F0} samples/s");
            for (int r = 0; r < 2; r++)
            {
                clock.Restart();
                var scored = model.Transform(testRows);
                int scoredRows = 0;
                using (var cursor = scored.GetRowCursor(scored.Schema.Where(c => c.Name == "Score")))
                {
                    var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
                    VBuffer<float> score = default;
                    while (cursor.MoveNext())
                    {
                        getter(ref score);
                        scoredRows++;
                    }
                }
                Console.WriteLine($"2-conv network inference through Transform ({(r == 0 ? "first" : "warm")}): {scoredRows} images in {clock.Elapsed.TotalSeconds:F2} s, {scoredRows / clock.Elapsed.TotalSeconds:F0} images/s");
            }
            TimePredictionEngine(mlContext, model, testRows);
        }
    }

    /// <summary>Single-image latency through a <see cref="PredictionEngine{TSrc, TDst}"/>: the first call, then the median of warm calls.</summary>
    private static void TimePredictionEngine(MLContext mlContext, ITransformer model, IDataView images)
    {
        var features = images.GetColumn<float[]>("Features").Take(1000).ToArray();
        var input = SchemaDefinition.Create(typeof(ImageRow));
        input[nameof(ImageRow.Features)].ColumnType = images.Schema["Features"].Type;
        var engine = mlContext.Model.CreatePredictionEngine<ImageRow, ScoreRow>(model, inputSchemaDefinition: input);
        var clock = Stopwatch.StartNew();
        engine.Predict(new ImageRow { Features = features[0] });
        double first = clock.Elapsed.TotalMilliseconds;
        var row = new ImageRow();
        var times = new double[features.Length];
        for (int i = 0; i < features.Length; i++)
        {
            row.Features = features[i];
            clock.Restart();
            engine.Predict(row);
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine($"2-conv network through a PredictionEngine, one image per call: first call {first:F2} ms, warm median {times[times.Length / 2]:F3} ms, p90 {times[times.Length * 9 / 10]:F3} ms over {features.Length} calls");
    }

    private sealed class ImageRow
    {
        public float[] Features = [];
    }

    private sealed class ScoreRow
    {
        public float[] Score = [];
    }

    /// <summary>Keeps the solver's elapsed time at the last finished epoch (reported on the training thread).</summary>
    private sealed class SolverClock : IProgress<TrainingProgress>
    {
        public TimeSpan Elapsed { get; private set; }

        public void Report(TrainingProgress value) => Elapsed = value.Elapsed;
    }

    private static ITransformer FitWithProgress(MLContext mlContext, ConvolutionalNetworkTrainer trainer, IDataView train, Stopwatch clock)
    {
        // Progress lines come from the MLContext log; echo the per-epoch summaries with the wall clock.
        mlContext.Log += (_, e) =>
        {
            if (e.Message.Contains("ConvolutionalNetworkTrainer: Epoch", StringComparison.Ordinal))
                Console.WriteLine($"  [{clock.Elapsed.TotalSeconds,6:F1} s] {e.Message[(e.Message.IndexOf("Epoch", StringComparison.Ordinal))..]}");
        };
        return trainer.Fit(train);
    }
}
