using SkiaSharp;

namespace Cs231n.MLNet.Tests.Reporting;

/// <summary>Checks that a file is a real PNG a decoder accepts, of a sensible size, with something drawn in it.</summary>
internal static class PngAssert
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The folder the tests write their pictures to, kept after the run so they can be looked at.</summary>
    public static string OutputFolder { get; } = Path.Combine(AppContext.BaseDirectory, "reporting-output");

    public static SKBitmap IsValidPng(string path, int minWidth = 200, int minHeight = 150, int maxSide = 5000)
    {
        Assert.IsTrue(File.Exists(path), $"{path} was not written");
        return IsValidPng(File.ReadAllBytes(path), minWidth, minHeight, maxSide);
    }

    public static SKBitmap IsValidPng(byte[] png, int minWidth = 200, int minHeight = 150, int maxSide = 5000)
    {
        CollectionAssert.AreEqual(Signature, png.Take(8).ToArray(), "the PNG signature is missing");
        var bitmap = SKBitmap.Decode(png);
        Assert.IsNotNull(bitmap, "SkiaSharp could not decode the PNG");
        Assert.IsTrue(bitmap.Width >= minWidth && bitmap.Width <= maxSide, $"width {bitmap.Width} is not between {minWidth} and {maxSide}");
        Assert.IsTrue(bitmap.Height >= minHeight && bitmap.Height <= maxSide, $"height {bitmap.Height} is not between {minHeight} and {maxSide}");
        Assert.IsGreaterThan(0.01, FractionNotWhite(bitmap), "the image is blank");
        return bitmap;
    }

    /// <summary>The fraction of pixels that are not (nearly) white.</summary>
    public static double FractionNotWhite(SKBitmap bitmap)
    {
        long notWhite = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red < 240 || c.Green < 240 || c.Blue < 240)
                    notWhite++;
            }
        return notWhite / (double)((bitmap.Height + 1) / 2 * ((bitmap.Width + 1) / 2));
    }

    /// <summary>The number of dark (text-like) pixels in a rectangle.</summary>
    public static int DarkPixels(SKBitmap bitmap, SKRectI area)
    {
        var count = 0;
        for (var y = Math.Max(0, area.Top); y < Math.Min(bitmap.Height, area.Bottom); y++)
            for (var x = Math.Max(0, area.Left); x < Math.Min(bitmap.Width, area.Right); x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red < 100 && c.Green < 100 && c.Blue < 100)
                    count++;
            }
        return count;
    }
}
