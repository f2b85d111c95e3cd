using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Onnx;

/// <summary>
/// The scoring step of our trainers as ONNX: the model's graph, then <c>Score</c> and <c>PredictedLabel</c> exactly as
/// ML.NET's built-in multiclass trainers emit them (ArgMax → Add 1 → Cast to the uint32 key). Rows with a NaN or
/// infinite feature score NaN and predict the missing key 0, as the model itself does.
/// </summary>
internal sealed class MulticlassScoringGraphWriter : IOnnxTransformWriter
{
    private readonly Cs231nModelParameters _model;
    private readonly string _featureColumn;
    private readonly DataViewSchema.Column _predictedLabel;
    private readonly DataViewSchema.Column _score;
    private IClassifierGraphWriter? _writer;

    public MulticlassScoringGraphWriter(Cs231nModelParameters model, string featureColumn, DataViewSchema.Column predictedLabel, DataViewSchema.Column score)
    {
        _model = model;
        _featureColumn = featureColumn;
        _predictedLabel = predictedLabel;
        _score = score;
    }

    public string Name => _model.GetType().Name;

    public int MinimumOpset => Writer.MinimumOpset;

    private IClassifierGraphWriter Writer => _writer ??= ClassifierGraphWriters.For(_model);

    public void CheckExportable() => _ = Writer;

    public void Write(IOnnxGraph graph)
    {
        if (!graph.TryGetColumn(_featureColumn, out string featureColumn))
            throw OnnxExportMessages.InputNotExported(Name, _featureColumn);
        string features = graph.FlattenRows(featureColumn);
        var model = Writer.Write(graph, features);

        // x − x is 0 for finite values and NaN for NaN and ±∞: one NaN test per row flags every bad row.
        string invalid = graph.Op("IsNaN", graph.ReduceSum(graph.Op("Sub", [features, features]), 1));

        string predictedClass = model.PredictedClass
            ?? graph.Op("ArgMax", model.Scores, OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1));
        string key = graph.Op("Add", [predictedClass, graph.Scalar("One", 1L)]);
        string keyOrMissing = graph.Op("Where", [invalid, graph.Scalar("MissingKey", 0L), key]);

        string score = graph.DeclareColumn(_score.Name, _score.Type);
        graph.AddNode("Where", [invalid, graph.Scalar("NaN", float.NaN), model.Scores], [score]);
        string predictedLabel = graph.DeclareColumn(_predictedLabel.Name, _predictedLabel.Type);
        graph.AddNode("Cast", [keyOrMissing], [predictedLabel], OnnxAttribute.Type("to", OnnxElementType.UInt32));
    }
}
