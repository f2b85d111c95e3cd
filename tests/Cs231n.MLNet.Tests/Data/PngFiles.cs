using System.Runtime.InteropServices;
using SkiaSharp;

namespace Cs231n.MLNet.Tests.Data;

/// <summary>Writes small images with SkiaSharp, the codec ML.NET's ImageAnalytics uses.</summary>
internal static class PngFiles
{
    /// <summary>Writes an opaque RGB image given as channel-major planes (R, then G, then B; each row by row).</summary>
    public static void WriteRgbPlanes(string path, byte[] planes, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        int plane = width * height;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int p = y * width + x;
                bitmap.SetPixel(x, y, new SKColor(planes[p], planes[plane + p], planes[2 * plane + p]));
            }
        }
        Save(path, bitmap, SKEncodedImageFormat.Png);
    }

    /// <summary>Writes an 8-bit grayscale image given row by row.</summary>
    public static void WriteGray(string path, byte[] pixels, int width, int height, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        Save(path, bitmap, format);
    }

    /// <summary>Whether SkiaSharp can decode the file into a bitmap.</summary>
    public static bool CanDecode(string path)
    {
        using var bitmap = SKBitmap.Decode(path);
        return bitmap is not null;
    }

    private static void Save(string path, SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using var data = bitmap.Encode(format, 95) ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}.");
        File.WriteAllBytes(path, data.ToArray());
    }
}
