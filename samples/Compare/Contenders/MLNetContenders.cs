using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Compare.Contenders;

/// <summary>ML.NET's own multiclass trainers with their default settings: the baselines our trainers are measured against.</summary>
internal static class MLNetContenders
{
    private const string Origin = "ML.NET";

    public static IEnumerable<Contender> Create(MLContext mlContext, bool quick)
    {
        var trainers = mlContext.MulticlassClassification.Trainers;
        yield return new Contender
        {
            Slug = "sdca",
            Name = "SDCA maximum entropy",
            Origin = Origin,
            FixedSettings = quick ? "at most 10 passes (quick run), other ML.NET defaults" : "ML.NET defaults",
            CreateTrainer = _ => trainers.SdcaMaximumEntropy(maximumNumberOfIterations: quick ? 10 : null),
            DrawPictures = (model, context) => MaximumEntropyTemplates(model, context, "sdca-templates.png", "SDCA maximum entropy (ML.NET) templates"),
        };
        yield return new Contender
        {
            Slug = "lbfgs",
            Name = "L-BFGS maximum entropy",
            Origin = Origin,
            FixedSettings = "ML.NET defaults",
            CreateTrainer = _ => trainers.LbfgsMaximumEntropy(),
            DrawPictures = (model, context) => MaximumEntropyTemplates(model, context, "lbfgs-templates.png", "L-BFGS maximum entropy (ML.NET) templates"),
        };
        // Boosting rounds dominate the run time of the tree ensembles; the quick run trims them for a smoke test.
        int lightGbmIterations = quick ? 10 : 100;
        yield return new Contender
        {
            Slug = "lightgbm",
            Name = "LightGBM",
            Origin = Origin,
            FixedSettings = quick ? $"{lightGbmIterations} boosting iterations (quick run), other ML.NET defaults" : "ML.NET defaults (100 boosting iterations)",
            CreateTrainer = _ => trainers.LightGbm(numberOfIterations: lightGbmIterations),
        };
        int fastTreeTrees = quick ? 5 : 100;
        yield return new Contender
        {
            Slug = "fasttree-ova",
            Name = "One-versus-all FastTree",
            Origin = Origin,
            FixedSettings = quick ? $"{fastTreeTrees} trees per class (quick run), other ML.NET defaults" : "ML.NET defaults (100 trees per class)",
            CreateTrainer = _ => trainers.OneVersusAll(mlContext.BinaryClassification.Trainers.FastTree(numberOfTrees: fastTreeTrees)),
        };
    }

    private static IEnumerable<Picture> MaximumEntropyTemplates(object model, PictureContext context, string fileName, string title)
    {
        if (model is not MaximumEntropyModelParameters parameters)
            yield break;
        VBuffer<float>[] weights = [];
        parameters.GetWeights(ref weights, out _);
        yield return ModelPictures.Templates(context, fileName, title, weights);
    }
}
