using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Neighbors;

[TestClass]
public sealed class KNearestNeighborsWorkoutTests
{
    [TestMethod]
    [DataRow(KnnDistance.L2, KnnWeighting.Uniform)]
    [DataRow(KnnDistance.L1, KnnWeighting.Distance)]
    [DataRow(KnnDistance.Cosine, KnnWeighting.Uniform)]
    public void WorkoutPasses(KnnDistance distance, KnnWeighting weighting)
        => TrainerWorkout.Run(ml => ml.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 5, distance: distance, weighting: weighting), minimumAccuracy: 0.8);
}
