namespace Cs231n.MLNet.Reporting;

/// <summary>Size and title of a chart rendered to PNG.</summary>
public class ChartOptions
{
    /// <summary>The title above the chart; null for the chart's own default title.</summary>
    public string? Title;

    /// <summary>The image width in pixels (64 to 8192).</summary>
    public int Width = 900;

    /// <summary>The image height in pixels (64 to 8192).</summary>
    public int Height = 600;

    internal void Validate()
    {
        CheckPixels(Width, nameof(Width));
        CheckPixels(Height, nameof(Height));
    }

    internal static void CheckPixels(int value, string name)
    {
        if (value is < 64 or > 8192)
            throw new ArgumentOutOfRangeException(name, value, $"The '{name}' option must be between 64 and 8192 pixels; got {value}.");
    }
}
