using SkiaSharp;

namespace Cs231n.MLNet.Reporting;

/// <summary>
/// The font the charts write text in. Skia's Linux build without fontconfig finds fonts by scanning the system
/// font folder and falls back to whichever family sorts first there (on Debian a maths font), so a plain
/// sans-serif family is chosen explicitly; <see cref="UseFontFile"/> picks a font file instead.
/// </summary>
public static class ReportFonts
{
    private static readonly string[] PreferredFamilies =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI", "FreeSans"];

    private static readonly Lock Gate = new();
    private static SKTypeface? _typeface;

    /// <summary>The font family used for titles, axes, legends and captions.</summary>
    public static string FamilyName => Typeface.FamilyName;

    /// <summary>
    /// Whether a font with glyphs was found. Without one, images are still written but carry no text; on Debian
    /// install one with <c>apt-get install fonts-dejavu-core</c>, or call <see cref="UseFontFile"/>.
    /// </summary>
    public static bool IsTextAvailable => Typeface.GlyphCount > 0;

    internal static SKTypeface Typeface
    {
        get
        {
            lock (Gate)
                return _typeface ??= Resolve();
        }
    }

    /// <summary>Makes every chart drawn from now on use the font in a TrueType or OpenType file.</summary>
    /// <param name="path">The font file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The file is not a font Skia can read.</exception>
    public static void UseFontFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The font file '{path}' does not exist.", path);
        var typeface = SKTypeface.FromFile(path);
        if (typeface is null || typeface.GlyphCount == 0)
            throw new ArgumentException($"'{path}' is not a font file Skia can read; give a .ttf or .otf file.", nameof(path));
        lock (Gate)
            _typeface = typeface;
    }

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
