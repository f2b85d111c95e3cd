using Cs231n.MLNet.Data;
using Microsoft.ML;

namespace Cs231n.MLNet.Tests.Data;

/// <summary>The loaders' views feed ML.NET's own trainers unchanged, and those learn from the real bundled data.</summary>
[TestClass]
public sealed class MLNetTrainerCompatibilityTests
{
    [TestMethod]
    public void BuiltInMulticlassTrainerLearnsFromTheBundledFashionMnistView()
    {
        var mlContext = new MLContext(seed: 0);
        var train = BundledData.FashionMnistTrain().ToDataView(mlContext);
        var test = BundledData.FashionMnistTest().ToDataView(mlContext);

        // SDCA shuffles (asking this view for random cursors) and makes several passes over the data.
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey(ImageDataset.LabelColumnName)
            .Append(mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 10));
        var model = pipeline.Fit(train);
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));

        Console.WriteLine($"SDCA maximum entropy, bundled 2,000/500: micro-accuracy {metrics.MicroAccuracy:F3}");
        // A linear model reaches about 0.84 on the full set; 2,000 training images give about 0.81 here.
        Assert.IsGreaterThan(0.75, metrics.MicroAccuracy, $"micro-accuracy {metrics.MicroAccuracy:F3}");
    }
}
