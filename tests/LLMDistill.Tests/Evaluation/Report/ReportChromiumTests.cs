using System.Text.RegularExpressions;
using LLMDistill.Evaluation.Report;
using SkiaSharp;

namespace LLMDistill.Tests.Evaluation.Report;

/// <summary>Opens report.html in headless Chromium: the page must render, and every plot must decode and be drawn.</summary>
public sealed partial class ReportChromiumTests
{
    // Runs after the page's load event: reports, per plot image, whether it decoded and how much of it is drawn.
    private const string CheckScript = """
        <script>
        window.addEventListener('load', function () {
          var out = [];
          document.querySelectorAll('img[data-plot], svg[data-plot]').forEach(function (el) {
            var id = el.getAttribute('data-plot');
            var box = el.getBoundingClientRect();
            if (el.tagName.toLowerCase() === 'svg') { out.push(id + ':' + (box.width > 0 ? 1 : 0) + ':1'); return; }
            var ok = el.complete && el.naturalWidth > 0 && box.width > 0;
            var ink = 0;
            if (ok) {
              var c = document.createElement('canvas'); c.width = el.naturalWidth; c.height = el.naturalHeight;
              var g = c.getContext('2d'); g.drawImage(el, 0, 0);
              var d = g.getImageData(0, 0, c.width, c.height).data, n = 0;
              for (var i = 0; i < d.length; i += 4) { if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 24) n++; }
              ink = n / (c.width * c.height);
            }
            out.push(id + ':' + (ok ? 1 : 0) + ':' + ink.toFixed(4));
          });
          document.body.setAttribute('data-plot-check', out.join(';'));
        });
        </script>
        """;

    [Fact]
    public async Task ReportHtml_InHeadlessChromium_RendersPageAndEveryPlot()
    {
        var dir = Directory.CreateTempSubdirectory("llmdistill-chromium-");
        try
        {
            var files = await ReportWriter.WriteAsync(SampleReports.Full(), dir.FullName, null, CancellationToken.None);

            // 1. Screenshot of the report exactly as written: it must not be blank.
            var png = Path.Combine(dir.FullName, "report.png");
            await HeadlessChromium.RunAsync(Path.Combine(dir.FullName, "profile1"), [$"--screenshot={png}", "--window-size=1280,4000"], new Uri(files.Html).AbsoluteUri, TimeSpan.FromSeconds(60));
            using (var bitmap = SKBitmap.Decode(png))
            {
                Assert.Equal((1280, 4000), (bitmap.Width, bitmap.Height));
                var (inked, colours) = PixelStats.Measure(bitmap);
                Assert.True(inked > 0.05, $"screenshot is nearly blank: {inked:P1} of pixels drawn");
                Assert.True(colours > 40, $"screenshot has only {colours} colours");
                var (headerInk, _) = PixelStats.Measure(bitmap, top: 0, height: 400);
                Assert.True(headerInk > 0.02, "the title and summary at the top of the page are not drawn");
            }

            // 2. The same page with a checker script (the report's CSP forbids scripts, so the copy drops it).
            var html = await File.ReadAllTextAsync(files.Html);
            var check = CspMeta().Replace(html, string.Empty).Replace("</body>", CheckScript + "</body>", StringComparison.Ordinal);
            var checkPath = Path.Combine(dir.FullName, "check.html");
            await File.WriteAllTextAsync(checkPath, check);
            var dom = await HeadlessChromium.RunAsync(Path.Combine(dir.FullName, "profile2"), ["--dump-dom", "--virtual-time-budget=10000", "--window-size=1280,4000"], new Uri(checkPath).AbsoluteUri, TimeSpan.FromSeconds(60));

            var result = PlotCheck().Match(dom);
            Assert.True(result.Success, "the checker script did not run (no data-plot-check attribute in the DOM)");
            var plots = result.Groups[1].Value.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split(':')).ToArray();
            Assert.Equal(SampleReports.FullPlotIds.Order(), plots.Select(p => p[0]).Order());
            foreach (var plot in plots)
            {
                Assert.True(plot[1] == "1", $"plot {plot[0]} did not load in Chromium");
                Assert.True(double.Parse(plot[2], System.Globalization.CultureInfo.InvariantCulture) > 0.02, $"plot {plot[0]} is blank in Chromium ({plot[2]} drawn)");
            }

            var keep = Environment.GetEnvironmentVariable("LLMDISTILL_KEEP_REPORT");
            if (!string.IsNullOrEmpty(keep))
            {
                Directory.CreateDirectory(keep);
                foreach (var file in new[] { files.Html, files.Markdown, files.Metrics, png })
                {
                    File.Copy(file, Path.Combine(keep, Path.GetFileName(file)), overwrite: true);
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [GeneratedRegex("<meta http-equiv=\"Content-Security-Policy\"[^>]*>")]
    private static partial Regex CspMeta();

    [GeneratedRegex("data-plot-check=\"([^\"]*)\"")]
    private static partial Regex PlotCheck();
}
