using LLMDistill.Tokenization;

namespace LLMDistill.Tests.Tokenization;

/// <summary>tiktoken encodings from the Microsoft.ML.Tokenizers.Data packages.</summary>
public sealed class TiktokenTests
{
    private static readonly Lazy<ModelTokenizer> Cl100k = new(() => ModelTokenizer.ForTiktoken("cl100k_base"));
    private static readonly Lazy<ModelTokenizer> O200k = new(() => ModelTokenizer.ForTiktoken("o200k_base"));

    [Fact]
    public void Cl100k_HelloWorld_KnownIds()
    {
        Assert.Equal([15339, 1917], Cl100k.Value.Encode("hello world"));
        Assert.Equal("hello", Cl100k.Value.TokenText(15339));
        Assert.Equal("Ġworld", Cl100k.Value.TokenText(1917));
        Assert.Equal(" world"u8.ToArray(), Cl100k.Value.TokenBytes(1917));
        Assert.Equal(100257, Cl100k.Value.EosTokenId);
    }

    [Fact]
    public void O200k_AndModelName_AgreeOnIds()
    {
        var gpt4o = ModelTokenizer.ForTiktoken("gpt-4o-mini");
        Assert.Equal([24912, 2375], O200k.Value.Encode("hello world"));
        Assert.Equal(O200k.Value.Encode("Distillation, naïvely 你好 🦙"), gpt4o.Encode("Distillation, naïvely 你好 🦙"));
        Assert.Equal([15339, 1917], ModelTokenizer.ForTiktoken("gpt-4").Encode("hello world"));
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("naïve café — ünïcödé ✓ 你好 🦙🚀 𓀀")]
    [InlineData("  spaces\tand\nlines\r\n")]
    public void Decode_OfEncode_RoundTrips(string text)
    {
        Assert.Equal(text, Cl100k.Value.Decode(Cl100k.Value.Encode(text)));
        Assert.Equal(text, O200k.Value.Decode(O200k.Value.Encode(text)));
    }

    [Fact]
    public void Encode_EndOfTextInText_IsSpecial()
    {
        var ids = Cl100k.Value.Encode("hi<|endoftext|>");
        Assert.Equal(100257, ids[^1]);
        Assert.Equal("hi", Cl100k.Value.Decode(ids));
        Assert.Contains(100257, Cl100k.Value.StopTokenIds);
    }

    [Fact]
    public void TokenBytes_TokenIdOf_RoundTripOverWholeVocabulary()
    {
        var tokenizer = Cl100k.Value;
        for (var id = 0; id < tokenizer.VocabSize; id++)
        {
            if (!HasToken(tokenizer, id))
            {
                continue; // cl100k has holes between the ranks and the specials
            }

            Assert.Equal(id, tokenizer.TokenIdOf(tokenizer.TokenBytes(id)));
        }
    }

    [Fact]
    public void IncrementalDecoder_SplitCharacters_NeverEmitsReplacement()
    {
        var tokenizer = Cl100k.Value;
        const string text = "𓀀 and 🦙 and 龘";
        var decoder = tokenizer.CreateIncrementalDecoder();
        var pieces = tokenizer.Encode(text).Select(decoder.Append).ToList();
        Assert.Equal(text, string.Concat(pieces) + decoder.Flush());
        Assert.DoesNotContain(pieces, p => p.Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Fact]
    public void ForTiktoken_UnknownName_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelTokenizer.ForTiktoken("llama-7b"));
        Assert.Contains("llama-7b", ex.Message);
        Assert.Throws<NotSupportedException>(() => Cl100k.Value.ChatTemplate);
    }

    private static bool HasToken(ModelTokenizer tokenizer, int id)
    {
        try
        {
            _ = tokenizer.TokenBytes(id);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}
