using Microsoft.ML;
using Cs231n.MLNet.MLNetInternals;

namespace Cs231n.MLNet;

/// <summary>
/// The trainers of this package, on ML.NET's multiclass catalog:
/// <c>mlContext.MulticlassClassification.Trainers.KNearestNeighbors(...)</c> and so on.
/// </summary>
public static class Cs231nCatalog
{
    /// <summary>Creates a k-nearest-neighbours trainer.</summary>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="labelColumnName">The label column; a key type (add <c>MapValueToKey</c> before the trainer).</param>
    /// <param name="featureColumnName">The feature column; a known-size vector of <see cref="float"/>.</param>
    /// <param name="numberOfNeighbors">k: how many nearest training rows vote.</param>
    /// <param name="distance">The distance between feature vectors.</param>
    /// <param name="weighting">How the neighbours' votes are weighted.</param>
    public static KNearestNeighborsTrainer KNearestNeighbors(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int numberOfNeighbors = 5,
        KnnDistance distance = KnnDistance.L2, KnnWeighting weighting = KnnWeighting.Uniform)
        => catalog.KNearestNeighbors(new KNearestNeighborsTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NumberOfNeighbors = numberOfNeighbors,
            Distance = distance,
            Weighting = weighting,
        });

    /// <summary>Creates a k-nearest-neighbours trainer from options.</summary>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="options">The trainer's options.</param>
    public static KNearestNeighborsTrainer KNearestNeighbors(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        KNearestNeighborsTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new KNearestNeighborsTrainer(MLNetEnvironment.From(catalog), options);
    }
}
