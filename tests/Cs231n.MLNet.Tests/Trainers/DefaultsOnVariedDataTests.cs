using System.Globalization;
using Cs231n.MLNet.Tests.TestSupport;
using Microsoft.ML;

namespace Cs231n.MLNet.Tests.Trainers;

/// <summary>
/// The gradient trainers at their defaults on data nobody tuned them on: real tables (data/tabular) and generated ones
/// from 50 to 5,000 rows, 2 to 100 features, 2 to 10 classes, min–max normalised and raw. Each must come within 0.02
/// (or two test rows) of the better of ML.NET's SDCA and L-BFGS maximum entropy on the same split; on raw features
/// within 0.05, as the defaults issue asks.
/// </summary>
[TestClass]
public sealed class DefaultsOnVariedDataTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("iris")]
    [DataRow("wine")]
    [DataRow("breast-cancer")]
    [DataRow("digits")]
    public void DefaultsMatchMLNetOnRealTables(string name) => CheckDefaults(TabularData.LoadBundled(name), normalize: true);

    [TestMethod]
    [DataRow("iris")]
    [DataRow("breast-cancer")]
    public void DefaultsTrainOnRawRealTables(string name) => CheckDefaults(TabularData.LoadBundled(name), normalize: false);

    [TestMethod]
    [DataRow(50, 2, 2, 2, 2.0, true)]
    [DataRow(120, 5, 3, 3, 1.5, false)]
    [DataRow(400, 20, 4, 20, 1.0, true)]
    [DataRow(600, 100, 2, 10, 0.8, false)]
    [DataRow(1500, 30, 10, 15, 1.2, true)]
    [DataRow(5000, 8, 3, 8, 0.6, false)]
    public void DefaultsMatchMLNetOnGeneratedData(int rows, int features, int classes, int informative, double separation, bool normalize)
        => CheckDefaults(TabularData.Generate(rows, features, classes, informative, separation, seed: rows + features), normalize);

    private void CheckDefaults(TabularData data, bool normalize)
    {
        var mlContext = new MLContext(seed: 0);
        var (train, test, testRows) = data.Split(mlContext);
        train = mlContext.Data.Cache(train);
        var trainers = mlContext.MulticlassClassification.Trainers;
        double Accuracy(IEstimator<ITransformer> trainer)
        {
            IEstimator<ITransformer> pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label");
            if (normalize)
                pipeline = pipeline.Append(mlContext.Transforms.NormalizeMinMax("Features", fixZero: false));
            var model = pipeline.Append(trainer).Fit(train);
            return mlContext.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
        }
        double reference = Math.Max(Accuracy(trainers.SdcaMaximumEntropy()), Accuracy(trainers.LbfgsMaximumEntropy()));
        double margin = normalize ? Math.Max(0.02, 2.0 / testRows) : 0.05;
        var ours = new (string Name, double Accuracy)[]
        {
            ("MulticlassSvm", Accuracy(trainers.MulticlassSvm())),
            ("Softmax", Accuracy(trainers.Softmax())),
            ("MultilayerPerceptron", Accuracy(trainers.MultilayerPerceptron())),
        };
        TestContext.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} ({1}): ML.NET best linear {2:F3}; {3}", data.Name,
            normalize ? "min–max" : "raw", reference, string.Join(", ", ours.Select(o => string.Format(CultureInfo.InvariantCulture, "{0} {1:F3}", o.Name, o.Accuracy)))));
        foreach (var (name, accuracy) in ours)
            Assert.IsGreaterThanOrEqualTo(reference - margin - 1e-9, accuracy, $"{name} on {data.Name}: {accuracy:F3} against ML.NET's {reference:F3}");
    }
}
