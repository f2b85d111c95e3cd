using System.Globalization;
using Compare.Datasets;
using Cs231n.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Compare.Running;

/// <summary>
/// Saves the best pipeline, loads it back in a fresh ML.NET context, and predicts one test image with the loaded
/// copy: proof that what the leaderboard ranks is a model a user's program can ship.
/// </summary>
internal static class ReloadCheck
{
    /// <summary>The outcome, as one line for the console and the report.</summary>
    /// <param name="ModelPath">Where the best pipeline was saved.</param>
    /// <param name="Summary">The loaded model's prediction for the first test image, with the true class.</param>
    public sealed record Outcome(string ModelPath, string Summary);

    public static Outcome Run(MLContext mlContext, ContenderResult best, ComparisonData data, string outputFolder)
    {
        string path = Path.Combine(outputFolder, "best-model.zip");
        var trainSchema = data.Train.ToDataView(mlContext).Schema;
        mlContext.Model.SaveAtomically(best.Model, trainSchema, path);

        var freshContext = new MLContext(seed: 0);
        var loaded = freshContext.Model.Load(path, out _);
        // The feature length is only known at run time, so the input class's vector size is set in the schema.
        var inputSchema = SchemaDefinition.Create(typeof(ImageInput));
        inputSchema[nameof(ImageInput.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.Test.FeatureLength);
        var engine = freshContext.Model.CreatePredictionEngine<ImageInput, ImagePrediction>(loaded, inputSchemaDefinition: inputSchema);

        var image = data.Test.GetImage(0);
        var input = new ImageInput { Features = image.ToArray().Select(b => b / 255f).ToArray() };
        var prediction = engine.Predict(input);
        string actual = data.ClassNames[data.Test.Labels[0]];
        int top = Array.IndexOf(prediction.Score, prediction.Score.Max());
        string scoreKind = best.Contender.ScoresAreProbabilities ? "probability" : "score";
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"The reloaded {best.Contender.DisplayName} predicts '{prediction.PredictedClass}' for the first test image (true class '{actual}'; " +
            $"top {scoreKind} {prediction.Score[top]:0.000} for '{data.ClassNames[top]}').");
        return new Outcome(path, summary);
    }
}
