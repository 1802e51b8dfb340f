using LLMDistill.Evaluation.TokenMetrics;
using ScottPlot;

namespace LLMDistill.Evaluation.Report;

/// <summary>Plots about individual models: calibration, teaching value, speed and size.</summary>
internal static partial class ReportPlots
{
    /// <summary>Reliability diagram: accuracy against mean confidence per bin, the diagonal is perfect calibration.</summary>
    public static ReportFigure? Reliability(IReadOnlyList<CalibrationMetrics>? calibration, ReportOptions options)
    {
        var withData = calibration?.Where(c => c.Count > 0).ToArray() ?? [];
        if (withData.Length == 0)
        {
            return null;
        }

        var plot = PlotStyle.NewPlot("Reliability diagram", "confidence (probability of the top token)", "accuracy");
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LineColor = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "perfect calibration";
        for (var i = 0; i < withData.Length; i++)
        {
            var bins = withData[i].Bins.Where(b => b.Count > 0).ToArray();
            var line = plot.Add.Scatter(bins.Select(b => b.MeanConfidence!.Value).ToArray(), bins.Select(b => b.Accuracy!.Value).ToArray(), PlotStyle.At(i));
            line.LegendText = $"{withData[i].Model} (ECE {withData[i].Ece:0.000})";
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }

        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(0.1);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(0.1);
        PlotStyle.Legend(plot, Alignment.UpperLeft);
        return PlotStyle.Render(plot, "reliability", "Calibration",
            "Accuracy of the top token against the model's confidence in it, in equal-width bins; points below the diagonal are over-confident.", options);
    }

    /// <summary>Teaching-value distributions of kept and rejected samples, as shares of each group.</summary>
    public static ReportFigure? TeachingValue(TeachingValueSummary? summary, ReportOptions options)
    {
        if (summary is null || summary.Kept + summary.Rejected == 0)
        {
            return null;
        }

        var plot = PlotStyle.NewPlot("Teaching value of kept vs rejected samples", "teaching-value score", "share of samples");
        var groups = new[] { ("kept", summary.Kept, summary.KeptHistogram, 2), ("rejected", summary.Rejected, summary.RejectedHistogram, 3) };
        foreach (var (name, count, histogram, color) in groups.Where(g => g.Item2 > 0))
        {
            var width = histogram.Edges[1] - histogram.Edges[0];
            var bars = plot.Add.Bars(
                histogram.Counts.Select((_, b) => histogram.Edges[b] + (width / 2)).ToArray(),
                histogram.Counts.Select(c => c / (double)count).ToArray());
            bars.Color = PlotStyle.At(color).WithAlpha(0.6);
            bars.LegendText = $"{name} (n = {count})";
            foreach (var bar in bars.Bars)
            {
                bar.Size = width * 0.95;
                bar.LineWidth = 0;
            }
        }

        plot.Axes.SetLimitsX(0, 1);
        plot.Axes.Margins(bottom: 0);
        PlotStyle.Legend(plot, Alignment.UpperLeft);
        return PlotStyle.Render(plot, "teaching-value", "Teaching value",
            "Scores the data filter gave each generated sample; a good filter separates the two groups.", options);
    }

    /// <summary>Bars of generation throughput per model.</summary>
    public static ReportFigure? Speed(IReadOnlyList<Report.EfficiencyMetrics>? efficiency, ReportOptions options)
        => ModelBars(efficiency?.Where(e => e.TokensPerSecond is > 0).Select(e => (e, e.TokensPerSecond!.Value)).ToArray(),
            "speed", "Generation speed", "tokens per second", v => $"{v:0.#}",
            "Tokens generated per second, every model measured on the same device.", options);

    /// <summary>Bars of parameter counts per model.</summary>
    public static ReportFigure? Size(IReadOnlyList<Report.EfficiencyMetrics>? efficiency, ReportOptions options)
        => ModelBars(efficiency?.Where(e => e.Parameters is > 0).Select(e => (e, e.Parameters!.Value / 1e6)).ToArray(),
            "size", "Model size", "parameters (millions)", v => $"{v:0.##}M",
            "Parameter count of each model; the student should be much smaller than its teachers.", options);

    private static ReportFigure? ModelBars((Report.EfficiencyMetrics Model, double Value)[]? values, string id, string title, string yLabel, Func<double, string> format, string caption, ReportOptions options)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }

        var plot = PlotStyle.NewPlot(title, string.Empty, yLabel);
        for (var i = 0; i < values.Length; i++)
        {
            var bar = new Bar
            {
                Position = i,
                Value = values[i].Value,
                FillColor = PlotStyle.At(values[i].Model.Role == "student" ? 0 : 1 + i),
                Label = format(values[i].Value),
                Size = 0.6,
                LineWidth = 0,
            };
            var plottable = plot.Add.Bar(bar);
            plottable.ValueLabelStyle.FontSize = 13;
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, values.Length).Select(i => (double)i).ToArray(),
            values.Select(v => $"{v.Model.Model} ({v.Model.Role})").ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Margins(bottom: 0, top: 0.15);
        return PlotStyle.Render(plot, id, title, caption, options);
    }
}
