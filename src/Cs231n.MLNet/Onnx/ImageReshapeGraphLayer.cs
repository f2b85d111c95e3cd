using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Onnx;

/// <summary>
/// The N×(C·H·W) feature rows as N×C×H×W images for the convolution and pooling nodes. Rows hold each image channel by
/// channel, each channel row by row, which is exactly ONNX's NCHW layout, so a <c>Reshape</c> moves no value.
/// </summary>
internal sealed class ImageReshapeGraphLayer(ImageShape shape) : ILayerGraphWriter
{
    public string Write(IOnnxGraph graph, string input)
    {
        // −1 lets the batch dimension follow the input, so the graph scores any number of rows.
        string dims = graph.AddTensor("ImageShape", [-1L, shape.Channels, shape.Height, shape.Width], [4]);
        return graph.Op("Reshape", [input, dims]);
    }
}
