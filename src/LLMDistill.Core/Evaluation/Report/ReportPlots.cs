using LLMDistill.Evaluation.TokenMetrics;
using ScottPlot;

namespace LLMDistill.Evaluation.Report;

/// <summary>
/// The report's plots, drawn with ScottPlot 5 into PNG. Each method returns null when it has no data, so the report
/// can omit the section with a note instead of failing.
/// </summary>
internal static partial class ReportPlots
{
    /// <summary>Loss of train and eval records against the step, loss parts dashed, learning rate on the right axis.</summary>
    public static ReportFigure? TrainingCurves(IReadOnlyList<TrainingMetricsRecord>? records, ReportOptions options)
    {
        var withLoss = records?.Where(r => r.Loss is { } l && double.IsFinite(l)).ToArray() ?? [];
        if (withLoss.Length == 0)
        {
            return null;
        }

        var plot = PlotStyle.NewPlot("Training curves", "step", "loss");
        var color = 0;
        foreach (var split in new[] { "train", "eval" })
        {
            var points = withLoss.Where(r => r.Split == split).OrderBy(r => r.Step).ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.Loss!.Value).ToArray(), PlotStyle.At(color++));
            line.LegendText = $"{split} loss";
            line.LineWidth = 2;
            line.MarkerSize = split == "eval" ? 6 : 0;
        }

        var train = withLoss.Where(r => r.Split == "train").OrderBy(r => r.Step).ToArray();
        foreach (var part in train.SelectMany(r => r.Parts?.Keys ?? []).Distinct().Order(StringComparer.Ordinal))
        {
            var points = train.Where(r => r.Parts!.TryGetValue(part, out var v) && double.IsFinite(v)).ToArray();
            var line = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.Parts![part]).ToArray(), PlotStyle.At(color++));
            line.LegendText = $"train {part}";
            line.LinePattern = LinePattern.Dashed;
            line.MarkerSize = 0;
        }

        var lr = (records ?? []).Where(r => r.Split == "train" && r.Lr is { } v && double.IsFinite(v)).OrderBy(r => r.Step).ToArray();
        if (lr.Length > 1)
        {
            var line = plot.Add.Scatter(lr.Select(p => (double)p.Step).ToArray(), lr.Select(p => p.Lr!.Value).ToArray(), Colors.Gray);
            line.LegendText = "learning rate (right axis)";
            line.LinePattern = LinePattern.Dotted;
            line.MarkerSize = 0;
            line.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "learning rate";
            plot.Axes.Right.Label.FontSize = 14;
        }

        PlotStyle.Legend(plot);
        return PlotStyle.Render(plot, "training-curves", "Training curves",
            "Loss per optimizer step from the trainer's metrics.jsonl; dashed lines are the parts of the training loss.", options);
    }

    /// <summary>Top-1 (solid) and top-k (dashed) agreement per position bucket, one colour per model pair.</summary>
    public static ReportFigure? AgreementByPosition(IReadOnlyList<TokenAgreementMetrics>? pairs, ReportOptions options)
        => AgreementByBucket(pairs, p => p.ByPosition, "agreement-by-position", "Agreement by position", "token position in the response",
            "How often the compared model predicts the reference model's most likely next token, by position in the sequence.", options);

    /// <summary>Top-1 and top-k agreement per sequence-length bucket.</summary>
    public static ReportFigure? AgreementByLength(IReadOnlyList<TokenAgreementMetrics>? pairs, ReportOptions options)
        => AgreementByBucket(pairs, p => p.BySequenceLength, "agreement-by-length", "Agreement by sequence length", "sequence length (tokens)",
            "Agreement of every position of sequences whose length falls in each bucket.", options);

    /// <summary>Share of positions per forward-KL bin, one step line per model pair.</summary>
    public static ReportFigure? KlHistogram(IReadOnlyList<TokenAgreementMetrics>? pairs, ReportOptions options)
    {
        var withData = pairs?.Where(p => p.ForwardKlHistogram.Total > 0).ToArray() ?? [];
        if (withData.Length == 0)
        {
            return null;
        }

        var plot = PlotStyle.NewPlot("Per-token KL(reference ‖ compared)", "KL divergence (nats)", "share of positions");
        for (var i = 0; i < withData.Length; i++)
        {
            var h = withData[i].ForwardKlHistogram;
            var total = (double)h.Total;
            var bars = plot.Add.Bars(
                h.Counts.Select((_, b) => (h.Edges[b] + h.Edges[b + 1]) / 2).ToArray(),
                h.Counts.Select(c => c / total).ToArray());
            bars.Color = PlotStyle.At(i).WithAlpha(withData.Length > 1 ? 0.55 : 0.9);
            bars.LegendText = $"{withData[i].Compared} vs {withData[i].Reference} (>{h.Edges[^1]:0.#} nats: {h.Overflow / total:P1})";
            foreach (var bar in bars.Bars)
            {
                bar.Size = (h.Edges[1] - h.Edges[0]) * 0.95;
                bar.LineWidth = 0;
            }
        }

        plot.Axes.Margins(bottom: 0);
        PlotStyle.Legend(plot);
        return PlotStyle.Render(plot, "kl-histogram", "KL histogram",
            "Distribution of the per-position forward KL; mass near 0 means the student matches the teacher's distribution.", options);
    }

    private static ReportFigure? AgreementByBucket(
        IReadOnlyList<TokenAgreementMetrics>? pairs,
        Func<TokenAgreementMetrics, IReadOnlyList<AgreementBucket>> buckets,
        string id,
        string title,
        string xLabel,
        string caption,
        ReportOptions options)
    {
        var withData = pairs?.Where(p => buckets(p).Count > 0).ToArray() ?? [];
        if (withData.Length == 0)
        {
            return null;
        }

        // One x slot per distinct bucket label, in order of the lower bound.
        var labels = withData.SelectMany(buckets).GroupBy(b => b.Lower).OrderBy(g => g.Key).Select(g => g.First().Label).ToArray();
        var slot = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => (double)x.i, StringComparer.Ordinal);
        var plot = PlotStyle.NewPlot(title, xLabel, "agreement");
        for (var i = 0; i < withData.Length; i++)
        {
            var data = buckets(withData[i]);
            var xs = data.Select(b => slot[b.Label]).ToArray();
            var top1 = plot.Add.Scatter(xs, data.Select(b => b.Top1Agreement).ToArray(), PlotStyle.At(i));
            top1.LegendText = $"{withData[i].Compared} vs {withData[i].Reference}: top-1";
            top1.LineWidth = 2;
            top1.MarkerSize = 7;
            var topK = plot.Add.Scatter(xs, data.Select(b => b.TopKAgreement).ToArray(), PlotStyle.At(i));
            topK.LegendText = $"{withData[i].Compared} vs {withData[i].Reference}: top-{withData[i].TopK}";
            topK.LinePattern = LinePattern.Dashed;
            topK.MarkerSize = 5;
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray(), labels);
        plot.Axes.SetLimitsY(0, 1.05);
        PlotStyle.Legend(plot, Alignment.LowerRight);
        return PlotStyle.Render(plot, id, title, caption, options);
    }
}
