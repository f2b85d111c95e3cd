namespace Compare.Running;

/// <summary>One image as a user's program would hand it to the saved pipeline.</summary>
internal sealed class ImageInput
{
    /// <summary>The class name; the pipeline's label mapping needs the column, not a value (empty is fine).</summary>
    public string Label { get; set; } = "";

    /// <summary>Pixels scaled to [0, 1], channel-major.</summary>
    public float[] Features { get; set; } = [];
}
