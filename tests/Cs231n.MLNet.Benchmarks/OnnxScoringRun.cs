using System.Diagnostics;
using Cs231n.MLNet.ConvolutionalNetworks;
using Cs231n.MLNet.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>
/// Exported models scored by ONNX Runtime (InferenceSession, batches of 1,024 rows) against our own Transform on the
/// same Fashion-MNIST test rows, as a throughput ratio; and, for kNN, how many test rows an ONNX graph with
/// single-precision distances answers differently from the model, against the exported double-precision graph; with
/// <c>--onnx-cnn</c>, the agreement and throughput of an exported convolutional network instead.
/// </summary>
internal static class OnnxScoringRun
{
    private const int Batch = 1024;

    public static void Run(string[] args)
    {
        if (!Data.FashionMnist.TryFindInstalled(out string directory))
        {
            Console.WriteLine("Fashion-MNIST not found; install with: apt-get install dataset-fashion-mnist");
            return;
        }
        var mlContext = new MLContext(seed: 0);
        var train = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(Data.FashionMnist.LoadTrain(directory).ToDataView(mlContext));
        var trainView = mlContext.Data.Cache(train.Transform(Data.FashionMnist.LoadTrain(directory).ToDataView(mlContext)));
        var test = Data.FashionMnist.LoadTest(directory);
        var testView = test.ToDataView(mlContext);
        float[] testFeatures = testView.GetColumn<VBuffer<float>>("Features").SelectMany(v => v.DenseValues()).ToArray();
        Console.WriteLine($"Fashion-MNIST: {trainView.GetRowCount():N0} training rows, {test.Count:N0} test rows; {Environment.ProcessorCount} logical cores " +
            "(shared: other processes may be running).");

        if (args.Contains("--onnx-cnn"))
        {
            CompareConvolutionalNetwork(mlContext, args, train, trainView, testView, testFeatures, test.Count);
            return;
        }
        if (!args.Contains("--onnx-exactness-only"))
        {
            var mlp = mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(new MultilayerPerceptronTrainer.Options
            {
                HiddenLayerSizes = [512, 256],
                NumberOfEpochs = 1,
                BatchSize = 128,
            }).Fit(trainView);
            CompareThroughput(mlContext, "MLP 784-512-256-10", mlp, trainView, testView, testFeatures, test.Count);
            var knn = mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5).Fit(trainView);
            int knnRows = 2000;
            CompareThroughput(mlContext, "kNN L2 k=5 (60,000 rows)", knn, trainView, testView.Take(mlContext, knnRows), testFeatures.AsSpan(0, knnRows * 784).ToArray(), knnRows);
        }
        if (!args.Contains("--onnx-throughput-only"))
        {
            foreach (var distance in new[] { KnnDistance.L2, KnnDistance.Cosine })
            {
                var knn = mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5, distance: distance).Fit(trainView);
                CountKnnDifferences(mlContext, distance, knn, trainView, testView, testFeatures, test.Count);
            }
        }
    }

    /// <summary>
    /// The 2-conv network (conv 5×5×32 pad 2 → ReLU → pool 2 → conv 5×5×64 pad 2 → ReLU → pool 2 → affine 10), trained
    /// one epoch on the first <c>--rows</c> training rows (10,000 by default): how its exported graph agrees with the
    /// model on every test row (labels, largest absolute and relative score difference), then the throughput ratio.
    /// </summary>
    private static void CompareConvolutionalNetwork(MLContext mlContext, string[] args, ITransformer labelToKey, IDataView trainView, IDataView testView, float[] testFeatures, int count)
    {
        int rowsAt = Array.IndexOf(args, "--rows");
        int rows = rowsAt >= 0 ? int.Parse(args[rowsAt + 1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        var clock = Stopwatch.StartNew();
        var cnn = mlContext.MulticlassClassification.Trainers.ConvolutionalNetwork(new ConvolutionalNetworkTrainer.Options
        {
            Layers = [new Convolution(32, 5, Padding: 2), new Activation(), new MaxPooling(2),
                new Convolution(64, 5, Padding: 2), new Activation(), new MaxPooling(2)],
            ImageShape = [1, 28, 28],
            NumberOfEpochs = 1,
        }).Fit(trainView.Take(mlContext, rows));
        var scored = cnn.Transform(testView);
        uint[] ourKeys = scored.GetColumn<uint>("PredictedLabel").ToArray();
        float[] ourScores = scored.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray();
        double accuracy = mlContext.MulticlassClassification.Evaluate(cnn.Transform(labelToKey.Transform(testView))).MicroAccuracy;
        Console.WriteLine($"2-conv network trained 1 epoch on {rows:N0} rows in {clock.Elapsed.TotalSeconds:F1} s; test accuracy {accuracy:F4}");

        string path = Export(mlContext, cnn, trainView);
        try
        {
            using var session = new InferenceSession(path);
            var (keys, scores) = ScoreWithOnnxRuntime(session, testFeatures, count);
            int labels = keys.Zip(ourKeys).Count(p => p.First != p.Second);
            double absolute = 0, relative = 0;
            for (int i = 0; i < scores.Length; i++)
            {
                double difference = Math.Abs(scores[i] - ourScores[i]), scale = Math.Max(Math.Abs(scores[i]), Math.Abs(ourScores[i]));
                absolute = Math.Max(absolute, difference);
                relative = Math.Max(relative, scale > 0 ? difference / scale : 0);
            }
            Console.WriteLine($"2-conv network, ONNX graph, {count:N0} test rows: PredictedLabel differs on {labels} rows; largest |Δ Score| {absolute:E2}, " +
                $"largest relative {relative:E2}");
        }
        finally
        {
            File.Delete(path);
        }
        CompareThroughput(mlContext, "2-conv network", cnn, trainView, testView, testFeatures, count);
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static IDataView Take(this IDataView data, MLContext mlContext, int rows) => mlContext.Data.TakeRows(data, rows);

    private static string Export(MLContext mlContext, ITransformer model, IDataView train)
    {
        string path = Path.Combine(Path.GetTempPath(), $"cs231n-bench-{Guid.NewGuid():N}.onnx");
        var featuresOnly = mlContext.Transforms.SelectColumns("Features").Fit(train).Transform(train);
        using var stream = File.Create(path);
        mlContext.Model.ConvertToOnnx(model, featuresOnly, stream);
        return path;
    }

    private static void CompareThroughput(MLContext mlContext, string name, ITransformer model, IDataView train, IDataView rows, float[] features, int count)
    {
        string path = Export(mlContext, model, train);
        try
        {
            var clock = Stopwatch.StartNew();
            using var session = new InferenceSession(path);
            double load = clock.Elapsed.TotalSeconds;
            var ours = new List<double>();
            var onnx = new List<double>();
            for (int r = 0; r < 4; r++)
            {
                clock.Restart();
                ReadOurs(model.Transform(rows));
                ours.Add(clock.Elapsed.TotalSeconds);
                clock.Restart();
                _ = ScoreWithOnnxRuntime(session, features, count);
                onnx.Add(clock.Elapsed.TotalSeconds);
            }
            double oursWarm = Median(ours.Skip(1)), onnxWarm = Median(onnx.Skip(1));
            Console.WriteLine($"{name}, {count:N0} rows: ours (Transform + read) first {ours[0]:F3} s, warm {oursWarm:F3} s ({count / oursWarm:N0} rows/s); " +
                $"ONNX Runtime (batches of {Batch}) session load {load:F3} s, first {onnx[0]:F3} s, warm {onnxWarm:F3} s ({count / onnxWarm:N0} rows/s); " +
                $"ONNX Runtime throughput / ours: warm {oursWarm / onnxWarm:F2}x, first call {ours[0] / (onnx[0] + load):F2}x (with session load)");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>One pass of one cursor over both output columns, as a consumer of the scored view reads it.</summary>
    private static void ReadOurs(IDataView scored)
    {
        using var cursor = scored.GetRowCursor([scored.Schema["PredictedLabel"], scored.Schema["Score"]]);
        var keyGetter = cursor.GetGetter<uint>(scored.Schema["PredictedLabel"]);
        var scoreGetter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
        uint key = 0;
        VBuffer<float> score = default;
        while (cursor.MoveNext())
        {
            keyGetter(ref key);
            scoreGetter(ref score);
        }
    }

    private static (uint[] Keys, float[] Scores) ScoreWithOnnxRuntime(InferenceSession session, float[] features, int count)
    {
        var keys = new uint[count];
        var scores = new List<float>(count * 10);
        for (int first = 0; first < count; first += Batch)
        {
            int rows = Math.Min(Batch, count - first);
            var tensor = new DenseTensor<float>(features.AsMemory(first * 784, rows * 784), [rows, 784]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("Features", tensor)]);
            var predicted = results.Single(r => r.Name == "PredictedLabel.output").AsTensor<uint>();
            for (int i = 0; i < rows; i++)
                keys[first + i] = predicted.GetValue(i);
            scores.AddRange(results.Single(r => r.Name == "Score.output").AsTensor<float>());
        }
        return (keys, scores.ToArray());
    }

    private static void CountKnnDifferences(MLContext mlContext, KnnDistance distance, ITransformer knn, IDataView train, IDataView test, float[] features, int count)
    {
        var scored = knn.Transform(test);
        uint[] ourKeys = scored.GetColumn<uint>("PredictedLabel").ToArray();
        float[] ourScores = scored.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray();
        foreach (var precision in new[] { OnnxElementType.Float, OnnxElementType.Double })
        {
            OnnxExportSettings.KnnDistanceType = precision;
            string path;
            try
            {
                path = Export(mlContext, knn, train);
            }
            finally
            {
                OnnxExportSettings.KnnDistanceType = OnnxElementType.Double;
            }
            try
            {
                var clock = Stopwatch.StartNew();
                using var session = new InferenceSession(path);
                var (keys, scores) = ScoreWithOnnxRuntime(session, features, count);
                double seconds = clock.Elapsed.TotalSeconds;
                int labels = keys.Zip(ourKeys).Count(p => p.First != p.Second);
                int classes = scores.Length / count;
                int votes = Enumerable.Range(0, count).Count(r => Enumerable.Range(0, classes).Any(c => scores[r * classes + c] != ourScores[r * classes + c]));
                Console.WriteLine($"kNN {distance} k=5, ONNX graph with {precision} distances, {count:N0} test rows: PredictedLabel differs on {labels} rows, " +
                    $"Score (the vote) differs on {votes} rows ({seconds:F1} s in ONNX Runtime)");
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
