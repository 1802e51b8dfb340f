using LLMDistill.Tests.Fixtures;
using LLMDistill.Tokenization;
using static LLMDistill.Tests.Tokenization.SyntheticTokenizerJson;

namespace LLMDistill.Tests.Tokenization;

/// <summary>Speed, thread safety, template overrides and config variants.</summary>
public sealed class TokenizerBehaviourTests
{
    [Fact]
    public void Encode_Concurrently_GivesSameIdsAsSequentially()
    {
        var tokenizer = ShakespeareTokenizerTests.Tokenizer.Value;
        var lines = File.ReadLines(SharedPaths.Data("tinyshakespeare.txt")).Take(4000).ToArray();
        var expected = lines.Select(l => tokenizer.Encode(l)).ToArray();
        var actual = new IReadOnlyList<int>[lines.Length];
        Parallel.For(0, lines.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            actual[i] = tokenizer.Encode(lines[i]);
            Assert.Equal(lines[i], tokenizer.Decode(actual[i]));
        });
        for (var i = 0; i < lines.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void WithChatTemplate_ChangesStopTokens()
    {
        using var dir = new TempModelDirectory().With("tokenizer.json", Build());
        var tokenizer = ModelTokenizer.Load(dir.Path);
        Assert.Empty(tokenizer.StopTokenIds);
        var llama3 = tokenizer.WithChatTemplate(new Llama3ChatTemplate());
        Assert.Equal([EotId], llama3.StopTokenIds);
        Assert.Equal("llama3", llama3.ChatTemplate.Name);
        Assert.Equal("plain", tokenizer.ChatTemplate.Name);
    }

    [Fact]
    public void Load_ForcedTemplate_OverridesDetection()
    {
        var plain = ModelTokenizer.Load(SharedPaths.Model("shakespeare-4m"), ChatTemplateKind.Llama3);
        Assert.Equal("llama3", plain.ChatTemplate.Name);
        Assert.Equal([2], plain.StopTokenIds); // <|eot_id|> is not in this vocabulary, so it adds no stop id
    }

    [Fact]
    public void Load_ConfigVariants_ChatTemplateListAndJinjaFile()
    {
        using var list = new TempModelDirectory().With("tokenizer.json", Build())
            .With("tokenizer_config.json", $$"""{"chat_template": [{"name": "tool_use", "template": "x"}, {"name": "default", "template": {{System.Text.Json.JsonSerializer.Serialize(ChatTemplateTests.SmolLm2Jinja)}}}]}""");
        Assert.Equal("You are a helpful AI assistant named SmolLM, trained by Hugging Face",
            Assert.IsType<ChatMLTemplate>(ModelTokenizer.Load(list.Path).ChatTemplate).DefaultSystemPrompt);

        using var jinja = new TempModelDirectory().With("tokenizer.json", Build()).With("chat_template.jinja", ChatTemplateTests.Llama31Jinja);
        Assert.True(Assert.IsType<Llama3ChatTemplate>(ModelTokenizer.Load(jinja.Path).ChatTemplate).KnowledgeDatePreamble);
    }

    [Fact]
    public void Load_ConfigIds_FallBackToConfigJson()
    {
        using var dir = new TempModelDirectory().With("tokenizer.json", Build())
            .With("config.json", """{"bos_token_id": 300, "eos_token_id": 301, "pad_token_id": 256}""")
            .With("tokenizer_config.json", """{"add_bos_token": true}""");
        var tokenizer = ModelTokenizer.Load(dir.Path);
        Assert.Equal((300, 301, 256), (tokenizer.BosTokenId, tokenizer.EosTokenId, tokenizer.PadTokenId));
        Assert.True(tokenizer.AddBosToken);
        Assert.Equal([301], tokenizer.StopTokenIds);
    }
}
