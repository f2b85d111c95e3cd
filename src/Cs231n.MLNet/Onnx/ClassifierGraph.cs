namespace Cs231n.MLNet.Onnx;

/// <summary>
/// The variables a classifier's graph computes: <see cref="Scores"/>, N×ClassCount floats (the <c>Score</c> column),
/// and, when the model's predicted class is not simply the first largest score, <see cref="PredictedClass"/>, the
/// 0-based class of each row as N×1 int64.
/// </summary>
internal readonly record struct ClassifierGraph(string Scores, string? PredictedClass = null);
