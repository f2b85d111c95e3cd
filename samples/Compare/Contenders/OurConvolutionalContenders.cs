using Compare.Running;
using Cs231n.MLNet;
using Cs231n.MLNet.Reporting;
using Microsoft.ML;

namespace Compare.Contenders;

/// <summary>
/// This package's convolutional network at its defaults (no search: the defaults were chosen on full Fashion-MNIST),
/// with its training history and its first layer's filters drawn as images.
/// </summary>
internal static class OurConvolutionalContenders
{
    private const string Origin = "Cs231n.MLNet";
    private const string Title = "Convolutional network (Cs231n.MLNet)";

    public static IEnumerable<Contender> Create(MLContext mlContext, bool quick)
    {
        var trainers = mlContext.MulticlassClassification.Trainers;
        int? epochs = quick ? 2 : null;
        yield return new Contender
        {
            Slug = "cnn",
            Name = "Convolutional network",
            Origin = Origin,
            FixedSettings = quick
                ? "2 epochs (quick run), other defaults: 2×[conv 3×3 → batch norm → ReLU → max-pool], fully connected 128, Adam with cosine annealing"
                : "defaults: 2×[conv 3×3 → batch norm → ReLU → max-pool] with 32 and 64 filters, fully connected 128 with dropout 0.3, Adam 0.002 with cosine annealing, 8 epochs",
            CreateTrainer = request =>
            {
                var options = new ConvolutionalNetworkTrainer.Options { Seed = 0 };
                options.NumberOfEpochs = epochs ?? options.NumberOfEpochs;
                if (request.Status is { } status)
                    options.Progress = new SynchronousProgress<TrainingProgress>(p => status.Report(p.ToString()));
                return trainers.ConvolutionalNetwork(options);
            },
            DrawPictures = Pictures,
        };
    }

    private static IEnumerable<Picture> Pictures(object model, PictureContext context)
    {
        if (model is not ConvolutionalNetworkModelParameters parameters)
            yield break;
        var history = parameters.History;
        yield return ModelPictures.History(context, "cnn-history.png", $"{Title} training", history.Losses, history.TrainAccuracies, history.ValidationAccuracies);
        if (parameters.FirstLayerFilters is not { } filters)
            yield break;
        int size = filters.FilterShape.Size;
        var images = Enumerable.Range(0, filters.Filters).Select(f => filters.Weights.Slice(f * size, size).ToArray()).ToArray();
        string file = context.PathOf("cnn-first-layer.png");
        WeightImageGrid.Save(file, images, new WeightImageOptions
        {
            ImageHeight = filters.FilterShape.Height,
            ImageWidth = filters.FilterShape.Width,
            Channels = filters.FilterShape.Channels,
            Columns = (int)Math.Ceiling(Math.Sqrt(filters.Filters)),
            Title = $"{Title} first-layer filters",
        });
        yield return new Picture($"{Title}: the {filters.Filters} filters of the first convolution, {filters.FilterShape.Height}×{filters.FilterShape.Width} each, drawn as images", file);
    }
}
