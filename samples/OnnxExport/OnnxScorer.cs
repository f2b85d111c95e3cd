using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace OnnxExport;

/// <summary>
/// The serving side: ONNX Runtime alone, no ML.NET. It feeds rows of pixel vectors (N×784, pixels/255) to the
/// exported model and reads the class names and the scores back.
/// </summary>
internal sealed class OnnxScorer : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxScorer(string path) => _session = new InferenceSession(path);

    /// <summary>The graph's inputs, as a serving host must feed them.</summary>
    public IReadOnlyDictionary<string, NodeMetadata> Inputs => _session.InputMetadata;

    /// <summary>Scores <paramref name="rows"/> feature vectors of <paramref name="width"/> values in one call.</summary>
    public (string[] Labels, float[][] Scores) Score(float[] features, int rows, int width)
    {
        var input = NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(features, [rows, width]));
        using var results = _session.Run([input]);
        // ML.NET names each graph output after its column, with ".output" appended.
        var labels = results.Single(r => r.Name == "PredictedLabel.output").AsTensor<string>().ToArray();
        var scores = results.Single(r => r.Name == "Score.output").AsTensor<float>();
        int classes = scores.Dimensions[1];
        var perRow = Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, classes).Select(c => scores[r, c]).ToArray()).ToArray();
        return (labels, perRow);
    }

    public void Dispose() => _session.Dispose();
}
