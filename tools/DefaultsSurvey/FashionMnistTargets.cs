using System.Diagnostics;
using System.Globalization;
using Cs231n.MLNet;
using Cs231n.MLNet.Data;
using Microsoft.ML;

namespace Cs231n.MLNet.Tools.DefaultsSurvey;

/// <summary>The Fashion-MNIST targets of the defaults (full set, pixels/255), measured in one process against SDCA.</summary>
internal static class FashionMnistTargets
{
    public static int Run(string[] only)
    {
        if (!FashionMnist.TryFindInstalled(out string directory))
        {
            Console.Error.WriteLine("Full Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist");
            return 2;
        }
        var ml = new MLContext(seed: 1);
        var sinceStart = Stopwatch.StartNew();
        if (Environment.GetEnvironmentVariable("SURVEY_LOG") == "1")
            ml.Log += (_, e) => { if (e.Kind is Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Source.Contains("Softmax", StringComparison.Ordinal)) Console.WriteLine($"{sinceStart.ElapsedMilliseconds,8} ms {e.Message}"); };
        var train = ml.Data.Cache(FashionMnist.LoadTrain(directory).ToDataView(ml));
        var test = ml.Data.Cache(FashionMnist.LoadTest(directory).ToDataView(ml));
        var key = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        train = key.Transform(train);
        test = key.Transform(test);
        var trainers = ml.MulticlassClassification.Trainers;
        var contenders = new (string Name, IEstimator<ITransformer> Trainer)[]
        {
            ("SdcaMaximumEntropy()", trainers.SdcaMaximumEntropy()),
            ("Softmax()", trainers.Softmax()),
            ("MulticlassSvm()", trainers.MulticlassSvm()),
            ("MultilayerPerceptron()", trainers.MultilayerPerceptron()),
            ("MultilayerPerceptron(hiddenLayerSizes: [512, 256])", trainers.MultilayerPerceptron(hiddenLayerSizes: [512, 256])),
        };
        // An untimed fit of every trainer on a small slice, so that no measured Fit pays for compiling the shared data path.
        var slice = ml.Data.TakeRows(train, 2000);
        foreach (var (_, trainer) in contenders.Take(3))
            trainer.Fit(slice);
        double sdcaSeconds = double.NaN;
        foreach (var (name, trainer) in contenders)
        {
            if (only.Length > 0 && !only.Any(o => name.Contains(o, StringComparison.OrdinalIgnoreCase)))
                continue;
            var clock = Stopwatch.StartNew();
            var model = trainer.Fit(train);
            double seconds = clock.Elapsed.TotalSeconds;
            double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            if (name.StartsWith("Sdca", StringComparison.Ordinal))
                sdcaSeconds = seconds;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-52} accuracy {1:F4}  fit {2,6:F1} s  ({3:F2}× SDCA)",
                name, accuracy, seconds, seconds / sdcaSeconds));
        }
        return 0;
    }
}
