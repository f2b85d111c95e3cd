using Microsoft.ML;

namespace Cs231n.MLNet.Tests.TestSupport;

/// <summary>Every trainer of the package with a small, quick configuration, for tests that apply to all of them.</summary>
public static class TrainerCatalog
{
    public sealed record Entry(string Name, Func<MLContext, IEstimator<ITransformer>> Create);

    public static IReadOnlyList<Entry> All { get; } = new Entry[]
    {
        new("KNearestNeighbors", ml => ml.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5)),
        new("MulticlassSvm", ml => ml.MulticlassClassification.Trainers.MulticlassSvm(numberOfEpochs: 3, batchSize: 32)),
        new("Softmax", ml => ml.MulticlassClassification.Trainers.Softmax(numberOfEpochs: 3, batchSize: 32)),
        new("MultilayerPerceptron", ml => ml.MulticlassClassification.Trainers.MultilayerPerceptron(hiddenLayerSizes: [16], numberOfEpochs: 3, batchSize: 32)),
    };

    public static IEstimator<ITransformer> Create(string name, MLContext mlContext)
        => All.Single(e => e.Name == name).Create(mlContext);
}
