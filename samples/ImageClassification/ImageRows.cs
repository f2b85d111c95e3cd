namespace ImageClassification;

/// <summary>One image to classify: the columns <c>ImageFolder.Load</c> produces.</summary>
internal sealed class ImageInput
{
    public string ImagePath { get; set; } = "";

    /// <summary>Unknown at prediction time; the pipeline's MapValueToKey turns an empty label into a missing key.</summary>
    public string Label { get; set; } = "";
}

/// <summary>What the pipeline predicts for one image.</summary>
internal sealed class ImagePrediction
{
    public string PredictedLabel { get; set; } = "";

    public float[] Score { get; set; } = [];
}
