using Microsoft.ML;

namespace Cs231n.MLNet.Tests.TestSupport;

/// <summary>Every trainer of the package with a small, quick configuration, for tests that apply to all of them.</summary>
public static class TrainerCatalog
{
    /// <param name="Name">The trainer's catalog name.</param>
    /// <param name="Create">Creates the trainer; the number is the epochs for gradient-trained models (kNN ignores it).</param>
    public sealed record Entry(string Name, Func<MLContext, int, IEstimator<ITransformer>> Create);

    public static IReadOnlyList<Entry> All { get; } = new Entry[]
    {
        new("KNearestNeighbors", (ml, _) => ml.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5)),
        new("MulticlassSvm", (ml, epochs) => ml.MulticlassClassification.Trainers.MulticlassSvm(numberOfEpochs: epochs, batchSize: 32)),
        new("Softmax", (ml, epochs) => ml.MulticlassClassification.Trainers.Softmax(numberOfEpochs: epochs, batchSize: 32)),
        new("MultilayerPerceptron", (ml, epochs) => ml.MulticlassClassification.Trainers.MultilayerPerceptron(hiddenLayerSizes: [16], numberOfEpochs: epochs, batchSize: 32)),
    };

    /// <summary>The trainer, trained briefly (3 epochs): enough for tests of plumbing, not of learning.</summary>
    public static IEstimator<ITransformer> Create(string name, MLContext mlContext) => Create(name, mlContext, epochs: 3);

    public static IEstimator<ITransformer> Create(string name, MLContext mlContext, int epochs)
        => All.Single(e => e.Name == name).Create(mlContext, epochs);
}
