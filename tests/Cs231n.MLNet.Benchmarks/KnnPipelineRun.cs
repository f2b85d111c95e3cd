using System.Diagnostics;
using Microsoft.ML;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>kNN as a user runs it: fit an ML.NET pipeline, then Transform + Evaluate the full test set.</summary>
internal static class KnnPipelineRun
{
    public static void Time(KnnDistance distance, int repetitions)
    {
        if (!Data.FashionMnist.TryFindInstalled(out string directory))
            return;
        var mlContext = new MLContext(seed: 0);
        var train = Data.FashionMnist.LoadTrain(directory).ToDataView(mlContext);
        var test = Data.FashionMnist.LoadTest(directory).ToDataView(mlContext);
        // Keys in the dataset's class order, so vote ties break as scikit-learn's do.
        var classOrder = mlContext.Data.LoadFromEnumerable(Data.FashionMnist.ClassNames.Select(n => new ClassName { Label = n }));
        var stopwatch = Stopwatch.StartNew();
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label", keyData: classOrder)
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5, distance: distance))
            .Fit(train);
        double fit = stopwatch.Elapsed.TotalSeconds;
        var times = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        double accuracy = 0;
        long allocated = 0;
        for (int r = 0; r < repetitions; r++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            process.Refresh();
            TimeSpan cpuStart = process.TotalProcessorTime;
            stopwatch.Restart();
            accuracy = mlContext.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            times.Add(stopwatch.Elapsed.TotalSeconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuStart).TotalSeconds);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        long trainingMatrix = (long)model.LastTransformer.Model.TrainingRowCount * model.LastTransformer.Model.FeatureCount * sizeof(float);
        Console.WriteLine(model.LastTransformer.Model.StorageDescription);
        Console.WriteLine($"kNN {distance} k=5 through ML.NET (Fit, then Transform + Evaluate of 10,000 rows): fit {fit:F2} s, " +
            $"predict+evaluate first call {times[0]:F2} s, warm best {times.Skip(1).DefaultIfEmpty(times[0]).Min():F2} s, runs [{string.Join(", ", times.Select(t => t.ToString("F2")))}] s (CPU [{string.Join(", ", cpu.Select(t => t.ToString("F2")))}] s), accuracy {accuracy:F4}; " +
            $"allocated while predicting {allocated / 1048576.0:F1} MiB ({100.0 * allocated / trainingMatrix:F1} % of the {trainingMatrix / 1048576.0:F0} MiB float training matrix)");
        if (distance == KnnDistance.L2)
            CompareModelFiles(mlContext, model, train);
    }

    /// <summary>The saved model's size as fitted (8-bit storage when the data allow it) against the float storage.</summary>
    private static void CompareModelFiles(MLContext mlContext, ITransformer model, IDataView train)
    {
        string directory = Directory.CreateTempSubdirectory("cs231n-knn-size-").FullName;
        try
        {
            long Size(ITransformer fitted, string name)
            {
                string path = Path.Combine(directory, name);
                mlContext.Model.Save(fitted, train.Schema, path);
                return new FileInfo(path).Length;
            }
            long asFitted = Size(model, "fitted.zip");
            Neighbors.KnnStorage.EightBitEnabled = false;
            var floatModel = mlContext.Transforms.Conversion.MapValueToKey("Label")
                .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5)).Fit(train);
            Neighbors.KnnStorage.EightBitEnabled = true;
            long floats = Size(floatModel, "float.zip");
            Console.WriteLine($"kNN model file: {asFitted / 1048576.0:F1} MiB as fitted, {floats / 1048576.0:F1} MiB with float storage ({(double)asFitted / floats:F2}×)");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class ClassName
    {
        public string Label { get; set; } = "";
    }
}
