using System.Text.Json;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Tokenization;

namespace LLMDistill.Tests.Tokenization;

/// <summary>shakespeare-4m's byte-level BPE tokenizer.json against the ids Hugging Face gives (tokenizer-reference.json).</summary>
public sealed class ShakespeareTokenizerTests
{
    internal static readonly Lazy<ModelTokenizer> Tokenizer = new(() => ModelTokenizer.Load(SharedPaths.Model("shakespeare-4m")));

    public static TheoryData<string, int[]> ReferenceCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedPaths.Model("shakespeare-4m"), "tokenizer-reference.json")));
        var data = new TheoryData<string, int[]>();
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            data.Add(item.GetProperty("text").GetString()!, item.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Encode_ReferenceTexts_MatchHuggingFaceIds(string text, int[] expected)
    {
        Assert.Equal(expected, Tokenizer.Value.Encode(text));
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Decode_OfEncode_RoundTrips(string text, int[] expected)
    {
        Assert.Equal(text, Tokenizer.Value.Decode(expected));
        Assert.Equal(text, Tokenizer.Value.Decode(Tokenizer.Value.Encode(text)));
    }

    [Fact]
    public void Load_ReadsSpecialTokensFromConfig()
    {
        var tokenizer = Tokenizer.Value;
        Assert.Equal(2048, tokenizer.VocabSize);
        Assert.Equal(1, tokenizer.BosTokenId);
        Assert.Equal(2, tokenizer.EosTokenId);
        Assert.Equal(0, tokenizer.PadTokenId);
        Assert.False(tokenizer.AddBosToken); // byte-level post-processor: HF adds no BOS
        Assert.Equal([2], tokenizer.StopTokenIds);
        Assert.Equal("plain", tokenizer.ChatTemplate.Name);
        Assert.Equal("<|eos|>", tokenizer.ChatTemplate.EndOfTurn);
    }

    [Fact]
    public void Encode_SpecialTokensInText_BecomeSingleIds()
    {
        var tokenizer = Tokenizer.Value;
        var ids = tokenizer.Encode("<|bos|>ROMEO:<|eos|><|pad|>");
        Assert.Equal(1, ids[0]);
        Assert.Equal([2, 0], ids.TakeLast(2));
        Assert.Equal(tokenizer.Encode("ROMEO:"), ids.Skip(1).Take(ids.Count - 3));
        Assert.Equal("ROMEO:", tokenizer.Decode(ids));
        Assert.Equal("<|bos|>ROMEO:<|eos|><|pad|>", tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Encode_AddBos_PrependsBosId()
    {
        Assert.Equal([1, 42, 411, 81, 14, 869, 3], Tokenizer.Value.Encode("Hello, world!", addBos: true));
    }

    [Fact]
    public void TokenBytes_TokenIdOf_RoundTripOverWholeVocabulary()
    {
        var tokenizer = Tokenizer.Value;
        for (var id = 0; id < tokenizer.VocabSize; id++)
        {
            var bytes = tokenizer.TokenBytes(id);
            Assert.NotEmpty(bytes);
            Assert.Equal(id, tokenizer.TokenIdOf(bytes));
        }
    }

    [Fact]
    public void TokenBytes_ByteLevelToken_MapsBackThroughGpt2Alphabet()
    {
        var tokenizer = Tokenizer.Value;
        var the = tokenizer.TokenId("Ġthe");
        Assert.NotNull(the);
        Assert.Equal(" the"u8.ToArray(), tokenizer.TokenBytes(the.Value));
        Assert.Equal("<|eos|>"u8.ToArray(), tokenizer.TokenBytes(2));
        Assert.Equal("<|eos|>", tokenizer.TokenText(2));
        Assert.Null(tokenizer.TokenIdOf("this is certainly not one token"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.TokenBytes(tokenizer.VocabSize));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([-1]));
    }
}
