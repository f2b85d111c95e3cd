using Compare.Running;
using Cs231n.MLNet;
using Cs231n.MLNet.Tuning;
using Microsoft.ML;

namespace Compare.Contenders;

/// <summary>
/// This package's gradient-trained classifiers — multiclass SVM, softmax and the multilayer perceptron — with
/// CS231n's search over learning rate and L2 regularisation on a validation split.
/// </summary>
internal static class OurGradientContenders
{
    private const string Origin = "Cs231n.MLNet";

    /// <summary>The share of training rows the final models hold out to record validation accuracy per epoch and keep the best epoch.</summary>
    private const double FinalValidationFraction = 0.1;

    /// <summary>The largest number of first-layer units drawn; more would make the grid unreadably small.</summary>
    private const int MaximumUnitsDrawn = 100;

    public static IEnumerable<Contender> Create(MLContext mlContext, bool quick)
    {
        var trainers = mlContext.MulticlassClassification.Trainers;
        yield return new Contender
        {
            Slug = "svm",
            Name = "Multiclass SVM",
            Origin = Origin,
            ScoresAreProbabilities = false,
            Search = LinearPlan(quick),
            CreateTrainer = request => trainers.MulticlassSvm(Configure(new MulticlassSvmTrainer.Options(), request)),
            DrawPictures = (model, context) => LinearPictures(model, context, "svm", "Multiclass SVM (Cs231n.MLNet)"),
        };
        yield return new Contender
        {
            Slug = "softmax",
            Name = "Softmax",
            Origin = Origin,
            Search = LinearPlan(quick),
            CreateTrainer = request => trainers.Softmax(Configure(new SoftmaxTrainer.Options(), request)),
            DrawPictures = (model, context) => LinearPictures(model, context, "softmax", "Softmax (Cs231n.MLNet)"),
        };
        yield return new Contender
        {
            Slug = "mlp",
            Name = "Multilayer perceptron",
            Origin = Origin,
            Search = Plan(quick ? [1e-3, 3e-3] : [3e-4, 1e-3, 3e-3], quick ? [1e-3] : [0, 1e-3, 1e-2]),
            CreateTrainer = request => trainers.MultilayerPerceptron(Configure(new MultilayerPerceptronTrainer.Options(), request)),
            DrawPictures = (model, context) => MlpPictures(model, context),
        };
    }

    // The linear models take their learning rate from the data (1/λmax), so CS231n's search is over the L2 weight
    // alone; the MLP's Adam rate is searched with its L2 weight. Features are standardised inside Fit, so an L2 weight
    // means the same on pixels and on other data.
    private static SearchPlan LinearPlan(bool quick) =>
        new(SearchMode.ValidationSplit, new ParameterGrid().Add("l2", quick ? new[] { 1e-4, 1e-2 } : new[] { 1e-5, 1e-4, 1e-3, 1e-2 }).Settings(), "l2", LogScaleHint: true);

    private static SearchPlan Plan(double[] learningRates, double[] l2) =>
        new(SearchMode.ValidationSplit, new ParameterGrid().Add("learningRate", learningRates).Add("l2", l2).Settings(), "learningRate", LogScaleHint: true);

    /// <summary>The most epochs a search setting trains: settings are compared, not finished.</summary>
    private const int SearchEpochs = 30;

    private static T Configure<T>(T options, TrainerRequest request)
        where T : GradientTrainerOptions
    {
        if (request.Setting!.TryGetValue("learningRate", out _))
            options.LearningRate = request.Setting.Get<double>("learningRate");
        options.L2Regularization = request.Setting.Get<double>("l2");
        if (request.Role != TrainerRole.Final)
            options.NumberOfEpochs = SearchEpochs;
        options.Seed = 0;
        // The search scores settings on its own validation split; the final model holds out a tenth of the training
        // rows so that its history shows validation accuracy and it keeps the weights of its best epoch.
        if (request.Role == TrainerRole.Final)
            options.ValidationFraction = FinalValidationFraction;
        if (request.Status is { } status)
            options.Progress = new SynchronousProgress<TrainingProgress>(p => status.Report(p.ToString()));
        return options;
    }

    private static IEnumerable<Picture> LinearPictures(object model, PictureContext context, string slug, string title)
    {
        if (model is not LinearClassifierModelParameters parameters)
            return [];
        var templates = Enumerable.Range(0, parameters.ClassCount).Select(c => parameters.GetClassWeights(c).ToArray()).ToArray();
        return
        [
            History(context, $"{slug}-history.png", $"{title} training", parameters.History),
            ModelPictures.Templates(context, $"{slug}-templates.png", $"{title} templates", templates),
        ];
    }

    private static IEnumerable<Picture> MlpPictures(object model, PictureContext context)
    {
        if (model is not MultilayerPerceptronModelParameters parameters)
            return [];
        const string title = "Multilayer perceptron (Cs231n.MLNet)";
        int inputs = parameters.LayerSizes[0], units = Math.Min(parameters.LayerSizes[1], MaximumUnitsDrawn);
        var firstLayer = parameters.Weights[0];
        var unitWeights = Enumerable.Range(0, units).Select(u => firstLayer.Slice(u * inputs, inputs).ToArray()).ToArray();
        string shown = units < parameters.LayerSizes[1] ? $" (first {units} of {parameters.LayerSizes[1]} units)" : "";
        return
        [
            History(context, "mlp-history.png", $"{title} training", parameters.History),
            ModelPictures.UnitWeights(context, "mlp-first-layer.png", $"{title} first layer{shown}", unitWeights),
        ];
    }

    private static Picture History(PictureContext context, string fileName, string title, TrainingHistory history) =>
        ModelPictures.History(context, fileName, title, history.Losses, history.TrainAccuracies, history.ValidationAccuracies);
}
