namespace Cs231n.MLNet.Onnx;

/// <summary>The tensor element types our graphs use (the target of an ONNX <c>Cast</c>).</summary>
internal enum OnnxElementType
{
    /// <summary>32-bit float: features and scores.</summary>
    Float,

    /// <summary>64-bit float: exact distance computations.</summary>
    Double,

    /// <summary>64-bit signed integer: indices, as <c>ArgMax</c> and <c>TopK</c> produce them.</summary>
    Int64,

    /// <summary>32-bit unsigned integer: ML.NET's key type, the <c>PredictedLabel</c> column.</summary>
    UInt32,
}
