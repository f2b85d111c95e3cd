using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.Onnx;

/// <summary>Exports a fitted pipeline with ConvertToOnnx and scores the file through ApplyOnnxModel (ONNX Runtime).</summary>
internal static class OnnxRoundTrip
{
    public const float ScoreTolerance = 1e-4f;

    /// <summary>Writes the model's ONNX file to <paramref name="path"/>.</summary>
    public static void Export(MLContext mlContext, ITransformer model, IDataView input, string path)
    {
        using var stream = File.Create(path);
        mlContext.Model.ConvertToOnnx(model, input, stream);
    }

    /// <summary>Asserts the graph's inputs are exactly <paramref name="expected"/>: the pipeline's input columns, never our outputs.</summary>
    public static void AssertInputs(string path, params string[] expected)
    {
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        var inputs = session.InputMetadata.Keys.ToArray();
        CollectionAssert.AreEquivalent(expected, inputs, $"graph inputs: {string.Join(", ", inputs)}");
    }

    /// <summary>The ONNX model's outputs for <paramref name="data"/>, read as ML.NET reads them.</summary>
    public static (List<string> Labels, List<float[]> Scores) Score(MLContext mlContext, string path, IDataView data)
    {
        var onnx = mlContext.Transforms.ApplyOnnxModel(path).Fit(data).Transform(data);
        // ApplyOnnxModel names its columns after the graph outputs less ML.NET's ".output" suffix.
        return (ReadLabels(onnx, "PredictedLabel"), ReadScores(onnx, "Score"));
    }

    /// <summary>Our own PredictedLabel (after MapKeyToValue: the class name) and Score for <paramref name="data"/>.</summary>
    public static (List<string> Labels, List<float[]> Scores) Ours(ITransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        return (ReadLabels(scored, "PredictedLabel"), ReadScores(scored, "Score"));
    }

    public static List<float[]> ReadScores(IDataView view, string column)
        => view.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToList();

    /// <summary>Text labels, whether the column holds a scalar or (as ONNX outputs do) a vector of one.</summary>
    public static List<string> ReadLabels(IDataView view, string column)
    {
        var type = (view.Schema.GetColumnOrNull(column) ?? throw new AssertFailedException(
            $"No column '{column}' among {string.Join(", ", view.Schema.Select(c => c.Name))}.")).Type;
        if (type is VectorDataViewType)
            return view.GetColumn<VBuffer<ReadOnlyMemory<char>>>(column).Select(v => string.Join("|", v.DenseValues())).ToList();
        return view.GetColumn<ReadOnlyMemory<char>>(column).Select(v => v.ToString()).ToList();
    }

    /// <summary>Predicted keys (1-based; 0 = missing), from our key column or ONNX Runtime's uint32 output.</summary>
    public static List<uint> ReadKeys(IDataView view, string column = "PredictedLabel")
    {
        var type = view.Schema[column].Type;
        if (type is VectorDataViewType)
            return view.GetColumn<VBuffer<uint>>(column).Select(v => v.DenseValues().Single()).ToList();
        return view.GetColumn<uint>(column).ToList();
    }

    /// <summary>Asserts identical labels on every row and scores within <see cref="ScoreTolerance"/>.</summary>
    public static void AssertAgree((List<string> Labels, List<float[]> Scores) ours, (List<string> Labels, List<float[]> Scores) onnx, string what)
    {
        Assert.AreEqual(ours.Labels.Count, onnx.Labels.Count, $"{what}: row count");
        Assert.IsTrue(ours.Labels.Distinct().Count() >= 5, $"{what}: the model predicts only {ours.Labels.Distinct().Count()} classes; the comparison would say little.");
        for (int r = 0; r < ours.Labels.Count; r++)
        {
            Assert.AreEqual(ours.Labels[r], onnx.Labels[r], $"{what}: PredictedLabel of row {r}");
            Assert.AreEqual(ours.Scores[r].Length, onnx.Scores[r].Length, $"{what}: Score length of row {r}");
            for (int c = 0; c < ours.Scores[r].Length; c++)
            {
                Assert.AreEqual(ours.Scores[r][c], onnx.Scores[r][c], ScoreTolerance,
                    $"{what}: Score[{c}] of row {r}: ours {ours.Scores[r][c]}, ONNX Runtime {onnx.Scores[r][c]}");
            }
        }
    }
}
