using LLMDistill.Evaluation.Report;
using SkiaSharp;

namespace LLMDistill.Tests.Evaluation.Report;

public sealed class ReportWriterTests
{
    [Fact]
    public async Task WriteAsync_FullReport_WritesThreeFilesAndMetricsRoundTrip()
    {
        var dir = Directory.CreateTempSubdirectory("llmdistill-report-");
        try
        {
            var report = SampleReports.Full();
            var files = await ReportWriter.WriteAsync(report, dir.FullName, null, CancellationToken.None);
            var read = await MetricsJson.ReadAsync(files.Metrics, CancellationToken.None);

            Assert.Equal(MetricsJson.Serialize(report), MetricsJson.Serialize(read));
            Assert.Equal(report.TokenAgreement![0].Top1Agreement, read.TokenAgreement![0].Top1Agreement);
            Assert.Contains("\"top1Agreement\"", await File.ReadAllTextAsync(files.Metrics));
            Assert.Contains("\"tokens_per_second\"", await File.ReadAllTextAsync(files.Metrics));
            Assert.True(File.Exists(files.Markdown));
            Assert.True(File.Exists(files.Html));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ReadAsync_OtherSchemaVersion_FailsNamingTheFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, MetricsJson.Serialize(SampleReports.Empty() with { SchemaVersion = 99 }));
            var ex = await Assert.ThrowsAsync<InvalidDataException>(() => MetricsJson.ReadAsync(path, CancellationToken.None));
            Assert.Contains(path, ex.Message);
            Assert.Contains("99", ex.Message);
            await File.WriteAllTextAsync(path, "{ not json");
            Assert.Contains(path, (await Assert.ThrowsAsync<InvalidDataException>(() => MetricsJson.ReadAsync(path, CancellationToken.None))).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RenderMarkdown_FullReport_StartsWithSummaryAndMarksBestVariant()
    {
        var md = ReportWriter.RenderMarkdown(SampleReports.Full());
        var summary = md.IndexOf("## Summary", StringComparison.Ordinal);
        Assert.True(summary > 0 && summary < md.IndexOf("## Comparisons", StringComparison.Ordinal));
        Assert.Contains("| student | student | 1.05M |", md);
        Assert.Contains("| token-level KD student | **55.0%** | **0.810** | **21.5** | 14.2 |", md);
        Assert.Contains("| filtered half | 50.0% | 0.970 | 18.7 | – |", md);
        Assert.Contains("wins 1, ties 1 and loses 1 of 4 pairs", md);
        Assert.Contains("4× fewer parameters", md);
        Assert.Contains("tok:13a", md);
        Assert.DoesNotContain("NaN", md);
    }

    [Fact]
    public void RenderMarkdown_EmptyReport_OmitsEverySectionWithANote()
    {
        var md = ReportWriter.RenderMarkdown(SampleReports.Empty());
        Assert.Contains("_No teacher-forced token-level data in this evaluation._", md);
        Assert.Contains("_No training metrics (metrics.jsonl) were supplied._", md);
        Assert.Contains("_No judge comparison was run._", md);
        Assert.Contains("_No speed or size measurements in this evaluation._", md);
    }

    [Fact]
    public void RenderHtml_FullReport_IsSelfContainedWithEveryPlotInlined()
    {
        var html = ReportWriter.RenderHtml(SampleReports.Full());
        Assert.Contains("Content-Security-Policy", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        foreach (var id in SampleReports.FullPlotIds)
        {
            Assert.Contains($"data-plot=\"{id}\" ", html);
        }

        Assert.Equal(SampleReports.FullPlotIds.Length, html.Split("src=\"data:image/png;base64,").Length - 1);
    }

    [Fact]
    public void RenderHtml_EmptyReport_HasNoPlotsAndDoesNotThrow()
    {
        var html = ReportWriter.RenderHtml(SampleReports.Empty());
        Assert.DoesNotContain("<img", html);
        Assert.Contains("No comparison of variants was recorded", html);
    }

    [Fact]
    public void RenderHtml_HostileNames_AreEncoded()
    {
        var html = ReportWriter.RenderHtml(SampleReports.Empty() with { Student = "<script>alert(1)</script>" });
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Fact]
    public void Plots_FullReport_AreNonBlankImagesWithTextAndColour()
    {
        var sections = ReportContent.Build(SampleReports.Full(), new ReportOptions(), withFigures: true);
        var figures = sections.SelectMany(s => s.Figures).ToArray();
        Assert.Equal(SampleReports.FullPlotIds.Order(), figures.Select(f => f.Id).Order());
        foreach (var figure in figures)
        {
            using var bitmap = SKBitmap.Decode(figure.Png);
            Assert.Equal((900, 420), (bitmap.Width, bitmap.Height));
            var (inked, colours) = PixelStats.Measure(bitmap);
            Assert.True(inked > 0.02, $"{figure.Id}: only {inked:P2} of pixels are drawn");
            Assert.True(colours >= 8, $"{figure.Id}: only {colours} distinct colours");
        }
    }

    [Fact]
    public void ComparisonTable_RowWithWrongValueCount_IsRejected()
    {
        var report = SampleReports.Empty() with { Comparisons = [new ComparisonTable("t", [new("a")], [new ComparisonRow("r", [1.0, 2.0])])] };
        Assert.Throws<ArgumentException>(() => ReportWriter.RenderMarkdown(report));
    }
}
