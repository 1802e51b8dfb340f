using LLMDistill.Tests.Fixtures;
using LLMDistill.Tokenization;

namespace LLMDistill.Tests.Tokenization;

/// <summary>The Llama 2 SentencePiece tokenizer.model (32,000 pieces, byte fallback).</summary>
public sealed class SentencePieceTokenizerTests
{
    private static readonly Lazy<ModelTokenizer> Tokenizer = new(() => ModelTokenizer.Load(SharedPaths.Model("llama2-tokenizer")));

    [Fact]
    public void Load_Llama2Model_HasLlamaSpecials()
    {
        var tokenizer = Tokenizer.Value;
        Assert.Equal(32000, tokenizer.VocabSize);
        Assert.Equal(1, tokenizer.BosTokenId);
        Assert.Equal(2, tokenizer.EosTokenId);
        Assert.Null(tokenizer.PadTokenId);
        Assert.True(tokenizer.AddBosToken); // Llama's tokenizer adds BOS by default
        Assert.Equal("<s>", tokenizer.TokenText(1));
        Assert.Equal("</s>", tokenizer.TokenText(2));
        Assert.Equal("<unk>", tokenizer.TokenText(0));
        Assert.True(tokenizer.IsSpecialToken(1));
        Assert.Contains(2, tokenizer.StopTokenIds);
    }

    [Theory]
    [InlineData("Hello", new[] { 1, 15043 })]
    [InlineData("Hello world", new[] { 1, 15043, 3186 })]
    [InlineData("你好", new[] { 1, 29871, 30919, 31076 })]
    [InlineData("🦙", new[] { 1, 29871, 243, 162, 169, 156 })] // F0 9F A6 99 through <0xNN> byte pieces (id = byte + 3)
    public void Encode_WithBos_GivesLlamaIds(string text, int[] expected)
    {
        Assert.Equal(expected, Tokenizer.Value.Encode(text, addBos: true));
    }

    [Fact]
    public void TokenText_KnownPieces_MatchPieceTable()
    {
        var tokenizer = Tokenizer.Value;
        Assert.Equal("▁Hello", tokenizer.TokenText(15043));
        Assert.Equal("▁world", tokenizer.TokenText(3186));
        Assert.Equal("<0x0A>", tokenizer.TokenText(13));
        Assert.Equal(" Hello"u8.ToArray(), tokenizer.TokenBytes(15043));
        Assert.Equal(new byte[] { 0x0A }, tokenizer.TokenBytes(13));
        Assert.Equal(13, tokenizer.Encode("a\nb")[1]);
    }

    [Theory]
    [InlineData("Hello world")]
    [InlineData("  leading spaces and   runs  ")]
    [InlineData("naïve café — ünïcödé ✓")]
    [InlineData("你好，世界")]
    [InlineData("emoji 🦙🚀 and a rare one 𓀀")]
    [InlineData("tabs\tand\nnew\r\nlines")]
    public void Decode_OfEncode_RoundTrips(string text)
    {
        var tokenizer = Tokenizer.Value;
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text, addBos: true)));
    }

    [Fact]
    public void Encode_SpecialTokenInText_BecomesItsId()
    {
        var tokenizer = Tokenizer.Value;
        var ids = tokenizer.Encode("Hello</s>");
        Assert.Equal([15043, 2], ids);
        Assert.Equal("Hello</s>", tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.Equal("Hello", tokenizer.Decode(ids));
    }

    [Fact]
    public void TokenIdOf_EveryPiece_MapsBackToItOrToTheOrdinaryPieceWithTheSameBytes()
    {
        var tokenizer = Tokenizer.Value;
        for (var id = 0; id < tokenizer.VocabSize; id++)
        {
            var bytes = tokenizer.TokenBytes(id);
            var back = tokenizer.TokenIdOf(bytes);
            Assert.NotNull(back);
            if (back != id)
            {
                // Only byte-fallback pieces yield, to the ordinary piece the encoder itself would produce.
                Assert.Matches("^<0x[0-9A-F]{2}>$", tokenizer.TokenText(id));
                Assert.Equal(bytes, tokenizer.TokenBytes(back.Value));
            }
        }

        Assert.Equal(29871, tokenizer.TokenIdOf(" "u8)); // "▁", not <0x20>
    }

    [Fact]
    public void IncrementalDecoder_ByteFallbackEmoji_EmitsWholeCharacterOnce()
    {
        var tokenizer = Tokenizer.Value;
        var decoder = tokenizer.CreateIncrementalDecoder();
        var ids = tokenizer.Encode("Hi 🦙!");
        var pieces = ids.Select(decoder.Append).ToList();
        Assert.Equal(" Hi 🦙!", string.Concat(pieces) + decoder.Flush());
        Assert.DoesNotContain(pieces, p => p.Contains('\uFFFD', StringComparison.Ordinal));
        Assert.Contains("🦙", pieces); // emitted whole by the token that completes it
    }
}
