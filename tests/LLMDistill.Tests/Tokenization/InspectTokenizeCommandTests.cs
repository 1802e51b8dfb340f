using System.Text.Json;
using LLMDistill.Configuration;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Tokenization;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Tests.Tokenization;

/// <summary><c>llmdistill inspect tokenize</c> run as a process (the CLI contract: JSON array on stdout, or exit 1 and one line on stderr).</summary>
public sealed class InspectTokenizeCommandTests
{
    [Fact]
    public void InspectTokenize_ReferenceTexts_PrintHuggingFaceIds()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedPaths.Model("shakespeare-4m"), "tokenizer-reference.json")));
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            var expected = item.GetProperty("ids").GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal);
            var (exit, stdout, stderr) = CliProcess.Run("inspect", "tokenize", "--model", SharedPaths.Model("shakespeare-4m"), "--text", item.GetProperty("text").GetString()!);
            Assert.True(exit == 0, stderr);
            Assert.Equal(expected, stdout.Trim());
        }
    }

    [Fact]
    public void InspectTokenize_AddBosAndTiktoken()
    {
        Assert.Equal("[1,42,411,81,14,869,3]", CliProcess.Run("inspect", "tokenize", "--model", SharedPaths.Model("shakespeare-4m"), "--text", "Hello, world!", "--add-bos", "true").Stdout.Trim());
        Assert.Equal("[1,15043]", CliProcess.Run("inspect", "tokenize", "--model", SharedPaths.Model("llama2-tokenizer"), "--text", "Hello").Stdout.Trim()); // Llama adds BOS by default
        Assert.Equal("[15339,1917]", CliProcess.Run("inspect", "tokenize", "--model", "tiktoken:cl100k_base", "--text", "hello world").Stdout.Trim());
    }

    [Fact]
    public void InspectTokenize_BadModel_ExitsNonZeroWithOneLine()
    {
        using var dir = new TempModelDirectory().With("tokenizer.json", "{ not json");
        var (exit, stdout, stderr) = CliProcess.Run("inspect", "tokenize", "--model", dir.Path, "--text", "x");
        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("llmdistill: error: ", line, StringComparison.Ordinal);
        Assert.Contains("tokenizer.json", line, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectTokenize_Help_DescribesOptions()
    {
        var (exit, stdout, _) = CliProcess.Run("inspect", "tokenize", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--model", stdout, StringComparison.Ordinal);
        Assert.Contains("--text", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenizerOptions_BindsChatTemplateKindAndRejectsUnknown()
    {
        static IConfiguration Config(string value) => new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Tokenizer:ChatTemplate"] = value }).Build();

        Assert.Equal(ChatTemplateKind.ChatML, OptionsBinder.Bind<TokenizerOptions>(Config("chatml"), TokenizerOptions.SectionName).ChatTemplate);
        Assert.Equal("llama3", OptionsBinder.Bind<TokenizerOptions>(Config("llama3"), TokenizerOptions.SectionName).Load(SharedPaths.Model("shakespeare-4m")).ChatTemplate.Name);
        var ex = Assert.Throws<OptionsValidationException>(() => OptionsBinder.Bind<TokenizerOptions>(Config("vicuna"), TokenizerOptions.SectionName));
        Assert.Contains("Tokenizer", ex.Message, StringComparison.Ordinal);
    }
}
