namespace Cs231n.MLNet;

/// <summary>The loss a linear classifier was trained with, which also decides what its <c>Score</c> column holds.</summary>
public enum LinearClassifierLoss
{
    /// <summary>Weston–Watkins multiclass hinge loss (multiclass SVM); <c>Score</c> holds the raw class scores Wx + b.</summary>
    MulticlassHinge,

    /// <summary>Softmax cross-entropy; <c>Score</c> holds the softmax probabilities of Wx + b.</summary>
    SoftmaxCrossEntropy,
}
