using System.Text.Json;
using LLMDistill.Cli;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Losses;

/// <summary><c>llmdistill inspect loss</c> run in-process through <see cref="CliApp"/>.</summary>
[Collection(nameof(InspectLossConsole))]
public sealed class InspectLossCommandTests : IDisposable
{
    private static readonly string[] Keys = ["forward_kl", "reverse_kl", "jsd", "topk_kl", "ce", "hinton"];
    private readonly string _dir = Directory.CreateTempSubdirectory("inspect-loss-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task InspectLoss_ReferenceCases_WritesEveryLossMatchingExpectedTo1e6()
    {
        var reference = SharedPaths.HfFixture("loss-reference.json");
        var output = Path.Combine(_dir, "out.json");

        var (code, _, error) = await RunAsync("inspect", "loss", "--cases", reference, "--out", output, "--check");

        Assert.True(code == 0, error);
        using var actual = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(reference));
        Assert.Equal(3, actual.RootElement.GetArrayLength());
        foreach (var (a, e) in actual.RootElement.EnumerateArray().Zip(expected.RootElement.EnumerateArray()))
        {
            Assert.Equal(Keys, a.EnumerateObject().Select(p => p.Name));
            foreach (var key in Keys)
            {
                var difference = Math.Abs(a.GetProperty(key).GetDouble() - e.GetProperty("expected").GetProperty(key).GetDouble());
                Assert.True(difference <= 1e-6, $"{key}: off by {difference:E2}");
            }
        }
    }

    [Fact]
    public async Task InspectLoss_WithoutOut_PrintsJsonArrayToStdout()
    {
        var (code, stdout, _) = await RunAsync("inspect", "loss", "--cases", SharedPaths.HfFixture("loss-reference.json"));

        Assert.Equal(0, code);
        Assert.StartsWith("[{\"forward_kl\":", stdout.Trim());
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(3, json.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task InspectLoss_Help_ListsOptions()
    {
        var (code, stdout, _) = await RunAsync("inspect", "loss", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--cases", stdout);
        Assert.Contains("--out", stdout);
    }

    [Theory]
    [InlineData("{}", "expected a JSON array of cases")]
    [InlineData("[1]", "case 0: expected an object")]
    [InlineData("[{\"student\": [[[1, 2]]]}]", "case 0: missing 'teacher'")]
    [InlineData("[{\"student\": [[[1, 2]], [[1]]], \"teacher\": [[[1, 2]]]}]", "case 0: 'student'[1][0]: ragged array, expected 2 items, got 1")]
    [InlineData("[{\"student\": [[[1, 2]]], \"teacher\": [[[1, \"x\"]]]}]", "case 0: 'teacher'[0][0][1]: expected a finite number")]
    [InlineData(Valid + ", \"tau\": 0, \"beta\": 0.5, \"k\": 1, \"alpha\": 0.5}]", "case 0: 'tau' must be a number > 0, got 0")]
    [InlineData(Valid + ", \"tau\": 1, \"beta\": 0.5, \"k\": 3, \"alpha\": 0.5}]", "case 0: 'k' must be an integer in [1, 2], got 3")]
    [InlineData("[{\"student\": [[[1, 2]]], \"teacher\": [[[1, 2]]], \"mask\": [[1]], \"labels\": [[5]]}]", "case 0: 'labels'[0][0]: expected a token id in [0, 2) or -100, got 5")]
    [InlineData("[{\"student\": [[[1, 2]]], \"teacher\": [[[1, 2]]], \"mask\": [[1, 1]]}]", "case 0: 'mask': shape [1, 2] differs from the student's [1, 1]")]
    [InlineData("[{\"student\": [[[1, 2]]]", "invalid JSON at line 1")]
    public async Task InspectLoss_MalformedCases_FailsWithOneLineNamingFileCaseAndField(string json, string message)
    {
        var path = Path.Combine(_dir, "cases.json");
        await File.WriteAllTextAsync(path, json);

        var (code, _, error) = await RunAsync("inspect", "loss", "--cases", path);

        Assert.Equal(1, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"llmdistill: error: {path}: ", error);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task InspectLoss_CheckWithWrongExpectedValue_FailsNamingCaseAndLoss()
    {
        var path = Path.Combine(_dir, "cases.json");
        await File.WriteAllTextAsync(path, Valid + ", \"tau\": 1, \"beta\": 0.5, \"k\": 2, \"alpha\": 0.5, "
            + "\"expected\": {\"forward_kl\": 0, \"reverse_kl\": 0, \"jsd\": 0, \"topk_kl\": 0, \"ce\": 0.5, \"hinton\": 0.25}}]");

        var (code, _, error) = await RunAsync("inspect", "loss", "--cases", path, "--check");

        Assert.Equal(1, code);
        Assert.Contains("case 0: 'ce' = 0.6931471805599453, expected 0.5", error);
    }

    [Fact]
    public async Task InspectLoss_MissingFile_FailsNamingTheFile()
    {
        var (code, _, error) = await RunAsync("inspect", "loss", "--cases", Path.Combine(_dir, "missing.json"));

        Assert.Equal(1, code);
        Assert.Contains("missing.json' not found", error);
    }

    // Student = teacher = logits (1, 1), mask 1, label 0: every KL is 0 and CE = ln 2.
    private const string Valid = "[{\"student\": [[[1, 1]]], \"teacher\": [[[1, 1]]], \"mask\": [[1]], \"labels\": [[0]]";

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var code = await CliApp.RunAsync(args);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
