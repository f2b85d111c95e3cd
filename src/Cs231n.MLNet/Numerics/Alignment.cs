namespace Cs231n.MLNet.Numerics;

/// <summary>Sizes rounded to whole register tiles, SIMD widths or cache lines.</summary>
internal static class Alignment
{
    /// <summary>The smallest multiple of <paramref name="multiple"/> that is at least <paramref name="value"/> (both non-negative).</summary>
    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
