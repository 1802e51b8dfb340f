using ScottPlot;

namespace LLMDistill.Evaluation.Report;

/// <summary>Shared look of the report's plots and PNG export.</summary>
internal static class PlotStyle
{
    /// <summary>A qualitative palette that stays readable when printed in grey (Tableau 10).</summary>
    public static readonly Color[] Palette =
    [
        Color.FromHex("#4e79a7"), Color.FromHex("#f28e2b"), Color.FromHex("#59a14f"), Color.FromHex("#e15759"),
        Color.FromHex("#76b7b2"), Color.FromHex("#edc948"), Color.FromHex("#b07aa1"), Color.FromHex("#ff9da7"),
        Color.FromHex("#9c755f"), Color.FromHex("#bab0ac"),
    ];

    // A sans-serif family that headless Linux machines have (fonts-dejavu comes with chromium); ScottPlot's default otherwise.
    private static readonly string? SansFont = new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Noto Sans" }
        .FirstOrDefault(f => SkiaSharp.SKFontManager.Default.GetFontFamilies().Contains(f, StringComparer.OrdinalIgnoreCase));

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (SansFont is not null)
        {
            plot.Font.Set(SansFont);
        }

        plot.Title(title, size: 17);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Grid.MajorLineColor = Color.FromHex("#e5e5e5");
        return plot;
    }

    public static Color At(int index) => Palette[index % Palette.Length];

    public static void Legend(Plot plot, Alignment alignment = Alignment.UpperRight)
    {
        plot.ShowLegend(alignment);
        plot.Legend.FontSize = 12;
    }

    public static ReportFigure Render(Plot plot, string id, string title, string caption, ReportOptions options)
        => new(id, title, caption, plot.GetImageBytes(options.PlotWidth, options.PlotHeight, ImageFormat.Png));
}
