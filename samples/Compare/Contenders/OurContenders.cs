using Cs231n.MLNet;
using Cs231n.MLNet.Tuning;
using Microsoft.ML;

namespace Compare.Contenders;

/// <summary>This package's CS231n trainers, each with the hyper-parameter search CS231n teaches for it.</summary>
internal static class OurContenders
{
    private const string Origin = "Cs231n.MLNet";

    public static IEnumerable<Contender> Create(MLContext mlContext, bool quick)
    {
        var trainers = mlContext.MulticlassClassification.Trainers;

        // CS231n's first experiment: k and the distance by 5-fold cross-validation.
        var knnGrid = new ParameterGrid()
            .Add("k", quick ? [1, 5, 10] : new[] { 1, 3, 5, 8, 10, 12, 15, 20 })
            .Add("distance", KnnDistance.L1, KnnDistance.L2);
        yield return new Contender
        {
            Slug = "knn",
            Name = "k-nearest neighbours",
            Origin = Origin,
            Search = new SearchPlan(SearchMode.CrossValidation, knnGrid.Settings(), ChartParameter: "k"),
            CreateTrainer = request => trainers.KNearestNeighbors(
                numberOfNeighbors: request.Setting!.Get<int>("k"), distance: request.Setting.Get<KnnDistance>("distance")),
        };
    }
}
