using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Onnx;

/// <summary><c>SubtractMeanImage</c> as ONNX: one <c>Sub</c> of the learned mean, broadcast over the rows.</summary>
internal sealed class MeanImageGraphWriter(ReadOnlyMemory<float> mean, string inputColumn, DataViewSchema.Column output) : IOnnxTransformWriter
{
    public string Name => nameof(MeanImageTransformer);

    public int MinimumOpset => 9;

    public void CheckExportable()
    {
    }

    public void Write(IOnnxGraph graph)
    {
        if (!graph.TryGetColumn(inputColumn, out string input))
            throw OnnxExportMessages.InputNotExported(Name, inputColumn);
        string meanImage = graph.AddTensor("MeanImage", mean.ToArray(), [1, mean.Length]);
        graph.AddNode("Sub", [graph.FlattenRows(input), meanImage], [graph.DeclareColumn(output.Name, output.Type)]);
    }
}
