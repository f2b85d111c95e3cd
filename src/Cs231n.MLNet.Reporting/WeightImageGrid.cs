using Microsoft.ML.Data;
using SkiaSharp;

namespace Cs231n.MLNet.Reporting;

/// <summary>
/// Draws weight vectors as a grid of images: a linear classifier's per-class "templates" (one weight row per
/// class) or a network's first-layer filters, each upscaled without smoothing so every weight stays a sharp square.
/// </summary>
public static class WeightImageGrid
{
    private const float CaptionFontSize = 15;
    private const float TitleFontSize = 20;

    /// <summary>Renders one image per weight vector as PNG bytes.</summary>
    /// <param name="weights">The weight vectors, each of <c>ImageHeight × ImageWidth × Channels</c> values; at least one.</param>
    /// <param name="options">Image shape, captions and layout; 28×28 grayscale when null.</param>
    /// <exception cref="ArgumentException">A vector's length does not match the image shape, or an option is invalid.</exception>
    public static byte[] Render(IReadOnlyList<float[]> weights, WeightImageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        options ??= new WeightImageOptions();
        Validate(weights, options);
        var pixels = ToPixels(weights, options);
        return Draw(pixels, options);
    }

    /// <summary>Renders the rows of a matrix (one weight vector per row) as PNG bytes.</summary>
    /// <param name="weights">A matrix whose row <c>i</c> is image <c>i</c>.</param>
    /// <param name="options">Image shape, captions and layout; 28×28 grayscale when null.</param>
    /// <exception cref="ArgumentException">The row length does not match the image shape, or an option is invalid.</exception>
    public static byte[] Render(float[,] weights, WeightImageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var rows = new float[weights.GetLength(0)][];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r] = new float[weights.GetLength(1)];
            for (var c = 0; c < rows[r].Length; c++)
                rows[r][c] = weights[r, c];
        }
        return Render(rows, options);
    }

    /// <summary>
    /// Renders ML.NET weight vectors (e.g. from <c>MaximumEntropyModelParameters.GetWeights</c>) as PNG bytes;
    /// sparse vectors are densified.
    /// </summary>
    /// <param name="weights">The weight vectors, each of <c>ImageHeight × ImageWidth × Channels</c> values; at least one.</param>
    /// <param name="options">Image shape, captions and layout; 28×28 grayscale when null.</param>
    /// <exception cref="ArgumentException">A vector's length does not match the image shape, or an option is invalid.</exception>
    public static byte[] Render(IReadOnlyList<VBuffer<float>> weights, WeightImageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return Render(weights.Select(w => w.DenseValues().ToArray()).ToArray(), options);
    }

    /// <summary>Renders ML.NET weight vectors to a PNG file, creating its folder.</summary>
    /// <inheritdoc cref="Render(IReadOnlyList{VBuffer{float}}, WeightImageOptions?)"/>
    public static void Save(string path, IReadOnlyList<VBuffer<float>> weights, WeightImageOptions? options = null) =>
        PlotRendering.Save(path, () => Render(weights, options));

    /// <summary>Renders one image per weight vector to a PNG file, creating its folder.</summary>
    /// <inheritdoc cref="Render(IReadOnlyList{float[]}, WeightImageOptions?)"/>
    public static void Save(string path, IReadOnlyList<float[]> weights, WeightImageOptions? options = null) =>
        PlotRendering.Save(path, () => Render(weights, options));

    /// <summary>Renders the rows of a matrix to a PNG file, creating its folder.</summary>
    /// <inheritdoc cref="Render(float[,], WeightImageOptions?)"/>
    public static void Save(string path, float[,] weights, WeightImageOptions? options = null) =>
        PlotRendering.Save(path, () => Render(weights, options));

    /// <summary>
    /// The columns of a matrix as vectors: for a first layer stored as <c>inputs × hidden</c> (as CS231n's <c>W1</c>),
    /// column <c>j</c> holds the weights hidden unit <c>j</c> applies to the image.
    /// </summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="maxColumns">At most this many columns are taken, from the first; the rest are left out.</param>
    public static float[][] Columns(float[,] matrix, int maxColumns = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var count = Math.Min(matrix.GetLength(1), maxColumns);
        var columns = new float[count][];
        for (var c = 0; c < count; c++)
        {
            columns[c] = new float[matrix.GetLength(0)];
            for (var r = 0; r < columns[c].Length; r++)
                columns[c][r] = matrix[r, c];
        }
        return columns;
    }

    private static void Validate(IReadOnlyList<float[]> weights, WeightImageOptions options)
    {
        if (weights.Count == 0)
            throw new ArgumentException("There are no weight vectors to draw; give at least one.", nameof(weights));
        if (options.ImageHeight < 1 || options.ImageWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(options),
                $"The 'ImageHeight' and 'ImageWidth' options must be positive; got {options.ImageHeight}×{options.ImageWidth}.");
        if (options.Channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(options), options.Channels, $"The 'Channels' option must be 1 or 3; got {options.Channels}.");
        if (options.Scale is < 0 or > 64)
            throw new ArgumentOutOfRangeException(nameof(options), options.Scale, $"The 'Scale' option must be 0 (automatic) to 64; got {options.Scale}.");
        if (options.Columns < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.Columns, $"The 'Columns' option must be 0 (automatic) or positive; got {options.Columns}.");
        if (options.Padding is < 0 or > 100)
            throw new ArgumentOutOfRangeException(nameof(options), options.Padding, $"The 'Padding' option must be 0 to 100 pixels; got {options.Padding}.");
        if (options.Captions is not null && options.Captions.Count != weights.Count)
            throw new ArgumentException($"There are {options.Captions.Count} captions for {weights.Count} images; give one caption per image.", nameof(options));
        var length = options.ImageHeight * options.ImageWidth * options.Channels;
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights[i] is null)
                throw new ArgumentException($"Weight vector {i} is null.", nameof(weights));
            if (weights[i].Length != length)
                throw new ArgumentException(
                    $"Weight vector {i} has {weights[i].Length} values but the image shape {options.ImageHeight}×{options.ImageWidth}×{options.Channels} needs {length}; " +
                    "set ImageHeight, ImageWidth and Channels to the shape of the features (drop any bias term).", nameof(weights));
        }
    }

    /// <summary>Maps weights to RGB bytes in row-major pixel order, one array per image.</summary>
    private static byte[][] ToPixels(IReadOnlyList<float[]> weights, WeightImageOptions options)
    {
        int h = options.ImageHeight, w = options.ImageWidth, channels = options.Channels, plane = h * w;
        (float Min, float Max) Range(float[] v)
        {
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            foreach (var x in v)
            {
                if (float.IsFinite(x))
                {
                    min = Math.Min(min, x);
                    max = Math.Max(max, x);
                }
            }
            return (min, max);
        }
        var shared = (Min: float.PositiveInfinity, Max: float.NegativeInfinity);
        foreach (var (min, max) in weights.Select(Range))
            shared = (Math.Min(shared.Min, min), Math.Max(shared.Max, max));

        var images = new byte[weights.Count][];
        for (var i = 0; i < weights.Count; i++)
        {
            var (min, max) = options.Scaling == WeightScaling.PerImage ? Range(weights[i]) : shared;
            // A constant (or all-NaN) image has no range to stretch: draw it mid-gray instead of dividing by zero.
            var scale = max > min ? 255f / (max - min) : 0f;
            var rgb = new byte[plane * 3];
            for (var p = 0; p < plane; p++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var channel = channels == 1 ? 0 : c;
                    var value = options.Layout == PixelLayout.ChannelMajor ? weights[i][channel * plane + p] : weights[i][p * channels + channel];
                    rgb[p * 3 + c] = scale == 0 || !float.IsFinite(value) ? (byte)128 : (byte)Math.Clamp(MathF.Round((value - min) * scale), 0, 255);
                }
            }
            images[i] = rgb;
        }
        return images;
    }

    private static byte[] Draw(byte[][] images, WeightImageOptions options)
    {
        int h = options.ImageHeight, w = options.ImageWidth, count = images.Length;
        var columns = options.Columns > 0 ? Math.Min(options.Columns, count) : count <= 10 ? count : (int)Math.Ceiling(Math.Sqrt(count));
        var rows = (count + columns - 1) / columns;
        var target = count > 36 ? 56 : 112;
        var scale = options.Scale > 0 ? options.Scale : Math.Max(1, (int)Math.Ceiling(target / (double)Math.Max(h, w)));
        int tileW = w * scale, tileH = h * scale, pad = options.Padding;

        using var captionPaint = new SKPaint { Typeface = ReportFonts.Typeface, TextSize = CaptionFontSize, Color = SKColors.Black, IsAntialias = true };
        using var titlePaint = new SKPaint { Typeface = ReportFonts.Typeface, TextSize = TitleFontSize, Color = SKColors.Black, IsAntialias = true, FakeBoldText = true };
        // Nearest-neighbour sampling keeps each weight a crisp square instead of a blur.
        using var tilePaint = new SKPaint { FilterQuality = SKFilterQuality.None, IsAntialias = false };
        var captionHeight = options.Captions is null ? 0 : (int)Math.Ceiling(CaptionFontSize * 1.6);
        var titleHeight = options.Title is null ? 0 : (int)Math.Ceiling(TitleFontSize * 2);
        var cellW = Math.Max(tileW, options.Captions is null ? 0 : 40);
        var width = columns * cellW + (columns + 1) * pad;
        var height = titleHeight + rows * (tileH + captionHeight) + (rows + 1) * pad;
        if (width > 16384 || height > 16384)
            throw new ArgumentException($"The grid would be {width}×{height} pixels; lower 'Scale' or draw fewer images.", nameof(options));

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        if (options.Title is not null)
            DrawCentered(canvas, options.Title, width / 2f, pad + TitleFontSize * 1.2f, titlePaint, width - 2 * pad);

        for (var i = 0; i < count; i++)
        {
            int row = i / columns, column = i % columns;
            var left = pad + column * (cellW + pad) + (cellW - tileW) / 2;
            var top = titleHeight + pad + row * (tileH + captionHeight + pad);
            using var bitmap = ToBitmap(images[i], w, h);
            canvas.DrawBitmap(bitmap, new SKRect(left, top, left + tileW, top + tileH), tilePaint);
            if (options.Captions is not null)
                DrawCentered(canvas, options.Captions[i], pad + column * (cellW + pad) + cellW / 2f, top + tileH + CaptionFontSize * 1.25f, captionPaint, cellW + pad);
        }
        return PlotRendering.Encode(surface);
    }

    private static SKBitmap ToBitmap(byte[] rgb, int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[width * height * 4];
        for (var p = 0; p < width * height; p++)
        {
            rgba[p * 4] = rgb[p * 3];
            rgba[p * 4 + 1] = rgb[p * 3 + 1];
            rgba[p * 4 + 2] = rgb[p * 3 + 2];
            rgba[p * 4 + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    private static void DrawCentered(SKCanvas canvas, string text, float centerX, float baseline, SKPaint paint, float maxWidth)
    {
        // Long captions shrink to fit their cell rather than running into the neighbours'.
        var size = paint.TextSize;
        var measured = paint.MeasureText(text);
        if (measured > maxWidth)
            paint.TextSize = size * maxWidth / measured;
        canvas.DrawText(text, centerX - paint.MeasureText(text) / 2, baseline, paint);
        paint.TextSize = size;
    }
}
