namespace Compare.Running;

/// <summary>What the saved pipeline predicts for one image.</summary>
internal sealed class ImagePrediction
{
    /// <summary>The predicted class name.</summary>
    public string PredictedClass { get; set; } = "";

    /// <summary>One score per class in class order (probabilities, except for the SVM's margins).</summary>
    public float[] Score { get; set; } = [];
}
