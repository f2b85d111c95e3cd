using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using SkiaSharp;

namespace Cs231n.MLNet.Reporting;

/// <summary>The look shared by every chart, and the PNG export of OxyPlot models.</summary>
internal static class PlotRendering
{
    /// <summary>Matplotlib's default colours, which readers of CS231n's figures know.</summary>
    public static readonly OxyColor[] Palette =
    [
        OxyColor.FromRgb(31, 119, 180), OxyColor.FromRgb(255, 127, 14), OxyColor.FromRgb(44, 160, 44),
        OxyColor.FromRgb(214, 39, 40), OxyColor.FromRgb(148, 103, 189), OxyColor.FromRgb(140, 86, 75),
        OxyColor.FromRgb(227, 119, 194), OxyColor.FromRgb(127, 127, 127), OxyColor.FromRgb(188, 189, 34),
        OxyColor.FromRgb(23, 190, 207),
    ];

    public static PlotModel NewModel(string title, bool withLegend, LegendPosition legendPosition = LegendPosition.BottomRight, bool legendOutside = false)
    {
        var model = new PlotModel
        {
            Title = title,
            DefaultFont = ReportFonts.FamilyName,
            DefaultFontSize = 13,
            TitleFontSize = 17,
            TitleFontWeight = FontWeights.Bold,
            Background = OxyColors.White,
            PlotAreaBorderColor = OxyColor.FromRgb(120, 120, 120),
            Padding = new OxyThickness(12),
        };
        if (withLegend)
        {
            model.Legends.Add(new Legend
            {
                LegendPosition = legendPosition,
                LegendPlacement = legendOutside ? LegendPlacement.Outside : LegendPlacement.Inside,
                LegendBackground = OxyColor.FromAColor(220, OxyColors.White),
                LegendBorder = OxyColor.FromRgb(180, 180, 180),
                LegendFontSize = 13,
            });
        }
        return model;
    }

    public static LinearAxis NewLinearAxis(AxisPosition position, string title) => new()
    {
        Position = position,
        Title = title,
        TitleFontSize = 14,
        MajorGridlineStyle = LineStyle.Solid,
        MajorGridlineColor = OxyColor.FromRgb(225, 225, 225),
        MinorGridlineStyle = LineStyle.None,
        // Room at the ends keeps markers on the extreme values from being cut by the frame.
        MinimumPadding = position == AxisPosition.Left ? 0.05 : 0,
        MaximumPadding = position == AxisPosition.Left ? 0.05 : 0,
    };

    public static byte[] ToPng(PlotModel model, int width, int height)
    {
        using var stream = new MemoryStream();
        OxyPlot.SkiaSharp.PngExporter.Export(model, stream, width, height);
        return stream.ToArray();
    }

    /// <summary>Stacks PNG images vertically into one PNG of the widest one's width.</summary>
    public static byte[] StackVertically(IReadOnlyList<byte[]> pngs)
    {
        var bitmaps = pngs.Select(SKBitmap.Decode).ToArray();
        try
        {
            var width = bitmaps.Max(b => b.Width);
            var height = bitmaps.Sum(b => b.Height);
            using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.White);
            var top = 0;
            foreach (var bitmap in bitmaps)
            {
                canvas.DrawBitmap(bitmap, 0, top);
                top += bitmap.Height;
            }
            return Encode(surface);
        }
        finally
        {
            foreach (var bitmap in bitmaps)
                bitmap.Dispose();
        }
    }

    public static byte[] Encode(SKSurface surface)
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Writes a PNG, creating its folder; the path is checked first so a bad path fails before rendering.</summary>
    public static void Save(string path, Func<byte[]> render)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"The image path must end in '.png'; got '{path}'.", nameof(path));
        var png = render();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        File.WriteAllBytes(path, png);
    }
}
