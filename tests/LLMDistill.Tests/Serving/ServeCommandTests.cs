using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Tests.Teachers;

namespace LLMDistill.Tests.Serving;

/// <summary><c>llmdistill serve</c> as a process: the URL on stdout (port 0), the API key from the environment, graceful stop on a signal, one-line errors.</summary>
public sealed class ServeCommandTests
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Serve_PortZero_PrintsTheUrlServesAndStopsGracefullyOnSignal(string signal)
    {
        var start = CliProcess.StartInfo(
            ["serve", "--model", LocalModelFixture.Directory, "--port", "0", "--device", "cpu"],
            environment: new Dictionary<string, string> { ["LLMDISTILL_SERVE_API_KEY"] = "process-key" });
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var url = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Matches(@"^http://127\.0\.0\.1:\d+/v1$", url);
            using var http = new HttpClient();
            using var refused = await http.GetAsync(url + "/models");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "process-key");
            var models = await http.GetStringAsync(url + "/models");

            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("\"id\":\"shakespeare-4m\"", models, StringComparison.Ordinal);
        }
        finally
        {
            ProcessSignals.Send(process.Id, ProcessSignals.Deliverable(signal));
        }

        Assert.True(process.WaitForExit(30_000), "serve did not stop");
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("llmdistill serve: stopped", await stderr, StringComparison.Ordinal);
        Assert.Equal("", await process.StandardOutput.ReadToEndAsync()); // stdout holds only the URL
    }

    [Theory]
    [InlineData("--model", "no/such/model", "model directory 'no/such/model' does not exist")]
    [InlineData("--host", "example.org", "must be an IP address")]
    [InlineData("--device", "tpu", "serve:Device: must be auto, cpu, cuda or cuda:N")]
    public void Serve_BadArguments_ExitNonZeroWithOneLine(string option, string value, string expected)
    {
        var args = new List<string> { "serve", "--port", "0", option, value };
        if (option != "--model")
        {
            args.AddRange(["--model", LocalModelFixture.Directory]);
        }

        var (exit, stdout, stderr) = CliProcess.Run([.. args]);

        Assert.NotEqual(0, exit);
        Assert.Equal("", stdout);
        CliProcess.AssertOneErrorLine(stderr, expected);
    }

    [Fact]
    public void Serve_Help_ListsTheContractOptions()
    {
        var (exit, stdout, _) = CliProcess.Run("serve", "--help");

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--model", "--port", "--host", "--api-key", "--device", "--max-batch-size", "--dtype", "--chat-template", "--batching" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }
}
