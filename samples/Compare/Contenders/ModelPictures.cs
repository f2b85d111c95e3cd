using Cs231n.MLNet.Reporting;
using Microsoft.ML.Data;

namespace Compare.Contenders;

/// <summary>The pictures drawn from learned model parameters: weight templates, weight grids, training curves.</summary>
internal static class ModelPictures
{
    /// <summary>One image per class from its row of weights: CS231n's linear-classifier "templates".</summary>
    public static Picture Templates(PictureContext context, string fileName, string title, IReadOnlyList<float[]> classWeights) =>
        Save(context.PathOf(fileName), $"{title}: the learned weights of each class drawn as an image (bright = positive)",
            path => WeightImageGrid.Save(path, classWeights, ImageOptions(context, title, context.ClassNames, columns: Math.Min(5, classWeights.Count))));

    /// <summary>ML.NET weight vectors (sparse or dense) as templates.</summary>
    public static Picture Templates(PictureContext context, string fileName, string title, IReadOnlyList<VBuffer<float>> classWeights) =>
        Templates(context, fileName, title, classWeights.Select(w => w.DenseValues().ToArray()).ToArray());

    /// <summary>Hidden units' input weights as a grid of images, captioned by unit number.</summary>
    public static Picture UnitWeights(PictureContext context, string fileName, string title, IReadOnlyList<float[]> unitWeights) =>
        Save(context.PathOf(fileName), $"{title}: the input weights of each first-layer unit drawn as an image",
            path => WeightImageGrid.Save(path, unitWeights, ImageOptions(context, title, captions: null, columns: (int)Math.Ceiling(Math.Sqrt(unitWeights.Count)))));

    /// <summary>Loss per iteration above training and validation accuracy per epoch.</summary>
    public static Picture History(PictureContext context, string fileName, string title,
        IReadOnlyList<double> losses, IReadOnlyList<double> trainAccuracy, IReadOnlyList<double> validationAccuracy) =>
        Save(context.PathOf(fileName), $"{title}: loss per minibatch, and training and validation accuracy per epoch",
            path => TrainingHistoryChart.Save(path, ToFloats(losses), ToFloats(trainAccuracy), ToFloats(validationAccuracy),
                new TrainingHistoryChartOptions { Title = title }));

    private static WeightImageOptions ImageOptions(PictureContext context, string title, IReadOnlyList<string>? captions, int columns) => new()
    {
        ImageHeight = context.ImageHeight,
        ImageWidth = context.ImageWidth,
        Channels = context.Channels,
        Captions = captions,
        Title = title,
        Columns = columns,
    };

    private static float[] ToFloats(IReadOnlyList<double> values) => values.Select(v => (float)v).ToArray();

    private static Picture Save(string path, string caption, Action<string> save)
    {
        save(path);
        return new Picture(caption, path);
    }
}
