using SkiaSharp;

namespace Cs231n.MLNet.Reporting;

/// <summary>
/// The font the charts write text in. Skia's Linux build without fontconfig finds fonts by scanning the system
/// font folder and falls back to whichever family sorts first there (on Debian a maths font), so a plain
/// sans-serif family is chosen explicitly.
/// </summary>
public static class ReportFonts
{
    private static readonly string[] PreferredFamilies =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI", "FreeSans"];

    private static readonly Lazy<SKTypeface> Resolved = new(Resolve);

    /// <summary>The font family used for titles, axes, legends and captions.</summary>
    public static string FamilyName => Typeface.FamilyName;

    /// <summary>
    /// Whether a font with glyphs was found. Without one, images are still written but carry no text; on Debian
    /// install one with <c>apt-get install fonts-dejavu-core</c>.
    /// </summary>
    public static bool IsTextAvailable => Typeface.GlyphCount > 0;

    internal static SKTypeface Typeface => Resolved.Value;

    private static SKTypeface Resolve()
    {
        foreach (var family in PreferredFamilies)
        {
            var typeface = SKTypeface.FromFamilyName(family);
            if (typeface is not null && typeface.FamilyName == family && typeface.GlyphCount > 0)
                return typeface;
        }
        return SKTypeface.Default;
    }
}
