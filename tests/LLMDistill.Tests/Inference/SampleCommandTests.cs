using LLMDistill.Tests.Model;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Inference;

/// <summary><c>llmdistill sample</c> run as a process: the CLI contract tools rely on.</summary>
public sealed class SampleCommandTests
{
    [Fact]
    public void Sample_PromptIdsOutputIds_PrintsTheReferenceGreedyIds()
    {
        var reference = ShakespeareReference.Load("shakespeare-4m")[1];
        var newTokens = reference.GreedyIds.Length - reference.PromptIds.Length;
        var (exit, stdout, stderr) = CliProcess.Run(
            "sample", "--model", ShakespeareReference.Dir("shakespeare-4m"), "--prompt-ids", string.Join(",", reference.PromptIds),
            "--output", "ids", "--max-new-tokens", newTokens.ToString(System.Globalization.CultureInfo.InvariantCulture), "--device", "cpu");
        Assert.True(exit == 0, stderr);
        Assert.Equal("[" + string.Join(",", reference.GreedyIds) + "]", stdout.Trim());
    }

    [Fact]
    public void Sample_PromptText_PrintsTheReferenceContinuation()
    {
        var reference = ShakespeareReference.Load("shakespeare-4m")[0];
        var (exit, stdout, stderr) = CliProcess.Run(
            "sample", "--model", ShakespeareReference.Dir("shakespeare-4m"), "--prompt", reference.Prompt, "--max-new-tokens", "48", "--temperature", "0");
        Assert.True(exit == 0, stderr);
        Assert.Equal(reference.Prompt + stdout.TrimEnd('\n'), ReferenceText(reference));
    }

    [Fact]
    public void Sample_SeededSampling_IsReproducible()
    {
        string[] args = ["sample", "--model", ShakespeareReference.Dir("shakespeare-1m"), "--prompt", "ROMEO:", "--max-new-tokens", "20", "--temperature", "0.8", "--top-p", "0.9", "--top-k", "40", "--seed", "11"];
        var first = CliProcess.Run(args);
        Assert.True(first.Exit == 0, first.Stderr);
        Assert.Equal(first.Stdout, CliProcess.Run(args).Stdout);
    }

    [Fact]
    public void Sample_MissingModelDirectory_ExitsNonZeroNamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N"));
        var (exit, stdout, stderr) = CliProcess.Run("sample", "--model", missing, "--prompt-ids", "1,2", "--output", "ids");
        Assert.NotEqual(0, exit);
        Assert.Empty(stdout);
        CliProcess.AssertOneErrorLine(stderr, missing);
    }

    [Theory]
    [InlineData("--top-p", "0", "top-p must be in (0, 1]")]
    [InlineData("--prompt-ids", "1,x", "'x' is not a token id")]
    [InlineData("--device", "tpu", "device 'tpu' is not supported")]
    [InlineData("--dtype", "int8", "dtype 'int8' is not supported")]
    public void Sample_BadValues_ExitNonZeroWithOneLine(string option, string value, string expected)
    {
        var args = new List<string> { "sample", "--model", ShakespeareReference.Dir("shakespeare-1m"), "--output", "ids", "--max-new-tokens", "2" };
        if (option != "--prompt-ids")
        {
            args.AddRange(["--prompt-ids", "1,2"]);
        }

        args.AddRange([option, value]);
        var (exit, _, stderr) = CliProcess.Run([.. args]);
        Assert.NotEqual(0, exit);
        CliProcess.AssertOneErrorLine(stderr, expected);
    }

    [Fact]
    public void Sample_Help_ListsTheContractOptions()
    {
        var (exit, stdout, _) = CliProcess.Run("sample", "--help");
        Assert.Equal(0, exit);
        foreach (var option in new[] { "--model", "--prompt", "--prompt-ids", "--max-new-tokens", "--temperature", "--top-k", "--top-p", "--seed", "--device", "--dtype", "--output" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }

    private static string ReferenceText(ShakespeareReference reference) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(ShakespeareReference.Dir("shakespeare-4m"), "reference.json")))
            .RootElement.EnumerateArray().First(e => e.GetProperty("prompt").GetString() == reference.Prompt).GetProperty("greedy_text").GetString()!;
}
