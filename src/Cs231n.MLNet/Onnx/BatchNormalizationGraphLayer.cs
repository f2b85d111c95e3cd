namespace Cs231n.MLNet.Onnx;

/// <summary>
/// Batch normalisation in its inference form, γ·(x − μ)/√(σ² + ε) + β with the running mean and variance, as one ONNX
/// <c>BatchNormalization</c>. It serves both of our forms: over N×C×H×W images it normalises each channel (the spatial
/// form), over N×C rows each unit (the 1-D form). The statistics stay separate tensors rather than being folded into the
/// preceding weights: the file shows the model's own parameters, and folding would round every folded weight again.
/// </summary>
internal sealed class BatchNormalizationGraphLayer : ILayerGraphWriter
{
    private readonly float[] _scale, _shift, _mean, _variance;
    private readonly float _epsilon;

    public BatchNormalizationGraphLayer(ReadOnlyMemory<float> scale, ReadOnlyMemory<float> shift, ReadOnlyMemory<float> mean, ReadOnlyMemory<float> variance, double epsilon)
    {
        int channels = scale.Length;
        if (shift.Length != channels || mean.Length != channels || variance.Length != channels)
            throw new ArgumentException($"Batch normalisation of {channels} channels needs {channels} shifts, means and variances; got {shift.Length}, {mean.Length} and {variance.Length}.");
        _scale = scale.ToArray();
        _shift = shift.ToArray();
        _mean = mean.ToArray();
        _variance = variance.ToArray();
        _epsilon = (float)epsilon;
    }

    public string Write(IOnnxGraph graph, string input)
    {
        long[] dims = [_scale.Length];
        return graph.Op("BatchNormalization",
            [input, graph.AddTensor("BnScale", _scale, dims), graph.AddTensor("BnShift", _shift, dims),
             graph.AddTensor("BnMean", _mean, dims), graph.AddTensor("BnVariance", _variance, dims)],
            OnnxAttribute.Float("epsilon", _epsilon));
    }
}
