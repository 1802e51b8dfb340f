using LLMDistill.Tokenization;
using static LLMDistill.Tests.Tokenization.SyntheticTokenizerJson;

namespace LLMDistill.Tests.Tokenization;

/// <summary>Byte-level BPE features on small hand-checkable tokenizer.json files (ids 0-255 are the bytes).</summary>
public sealed class ByteLevelBpeTests
{
    private static ModelTokenizer Load(string tokenizerJson, params (string File, string Content)[] extra)
    {
        using var dir = new TempModelDirectory().With("tokenizer.json", tokenizerJson);
        foreach (var (file, content) in extra)
        {
            dir.With(file, content);
        }

        return ModelTokenizer.Load(dir.Path);
    }

    [Fact]
    public void Encode_Gpt2Regex_MergesWithinPiecesOnly()
    {
        var tokenizer = Load(Build());
        Assert.Equal([GThe], tokenizer.Encode(" the"));
        Assert.Equal([ByteId('t'), 257], tokenizer.Encode("the")); // h+e, but no "the" token
        Assert.Equal([ByteId('1'), ByteId('2'), ThreeFour, ByteId('5')], tokenizer.Encode("12345")); // GPT-2 keeps digit runs whole
        Assert.Equal([GThe, GThe], tokenizer.Encode(" the the"));
    }

    [Fact]
    public void Encode_Llama3SplitRegex_SplitsDigitsInThrees()
    {
        var tokenizer = Load(Build(Llama3PreTokenizer));
        Assert.Equal([ByteId('1'), ByteId('2'), ByteId('3'), ByteId('4'), ByteId('5')], tokenizer.Encode("12345")); // "123" | "45": 3+4 never meet
        Assert.Equal([GThe], tokenizer.Encode(" the"));
        Assert.Equal("12345 the\n\n x", tokenizer.Decode(tokenizer.Encode("12345 the\n\n x")));
    }

    [Fact]
    public void Encode_IgnoreMerges_TakesWholeWordFromVocabulary()
    {
        var withIgnore = Load(Build(Llama3PreTokenizer, ignoreMerges: true));
        var without = Load(Build(Llama3PreTokenizer, ignoreMerges: false));
        Assert.Equal([Abc], withIgnore.Encode("abc"));
        Assert.Equal([ByteId('a'), ByteId('b'), ByteId('c')], without.Encode("abc"));
        Assert.Equal([ByteId(' '), ByteId('a'), ByteId('b'), ByteId('c')], withIgnore.Encode(" abc")); // "Ġabc" is not a token
    }

    [Fact]
    public void Load_ArrayMerges_EncodeLikeStringMerges()
    {
        const string text = " the 12345 the, then";
        Assert.Equal(Load(Build()).Encode(text), Load(Build(arrayMerges: true)).Encode(text));
    }

    [Fact]
    public void Encode_AddedTokens_AreCutOutFirstAndDecodeBySpecialFlag()
    {
        var tokenizer = Load(Build());
        var ids = tokenizer.Encode("<|begin_of_text|>hi<tool>x<|eot_id|>");
        Assert.Equal([BeginOfText, ByteId('h'), ByteId('i'), Tool, ByteId('x'), EotId], ids);
        Assert.Equal("hi<tool>x", tokenizer.Decode(ids)); // <tool> is not special, so it stays
        Assert.Equal("<|begin_of_text|>hi<tool>x<|eot_id|>", tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.True(tokenizer.IsSpecialToken(EotId));
        Assert.False(tokenizer.IsSpecialToken(Tool));
    }

    [Fact]
    public void Encode_AddPrefixSpace_PrependsSpace()
    {
        var tokenizer = Load(Build("""{"type": "ByteLevel", "add_prefix_space": true, "use_regex": true}"""));
        Assert.Equal([GThe], tokenizer.Encode("the"));
        Assert.Equal([GThe], tokenizer.Encode(" the"));
    }

    [Fact]
    public void Encode_NfcNormalizer_ComposesWhenTheRuntimeCanNormalize()
    {
        var nfc = Load(Build(normalizer: """{"type": "Sequence", "normalizers": [{"type": "NFC"}]}"""));
        var none = Load(Build());
        Assert.Equal([ByteId('e'), 0xCC, 0x81], none.Encode("e\u0301"));
        Assert.Equal([0xC3, 0xA9], nfc.Encode("\u00E9"));

        // Invariant-globalization processes (this repository's default) cannot normalize: text is encoded as given.
        var runtimeNormalizes = "e\u0301".Normalize() == "\u00E9";
        Assert.Equal(runtimeNormalizes ? [0xC3, 0xA9] : [ByteId('e'), 0xCC, 0x81], nfc.Encode("e\u0301"));
    }

    [Fact]
    public void Load_UnsupportedNormalizer_NamesFileAndPath()
    {
        var ex = Assert.Throws<NotSupportedException>(() => Load(Build(normalizer: """{"type": "Lowercase"}""")));
        Assert.Contains("tokenizer.json", ex.Message);
        Assert.Contains("$.normalizer", ex.Message);
        Assert.Contains("Lowercase", ex.Message);
    }

    [Fact]
    public void Load_TemplateProcessingWithBos_AddsBosByDefault()
    {
        var tokenizer = Load(Build(Llama3PreTokenizer, postProcessor: BosTemplateProcessing));
        Assert.Equal(BeginOfText, tokenizer.BosTokenId);
        Assert.True(tokenizer.AddBosToken);
        Assert.Equal([BeginOfText, GThe], tokenizer.Encode(" the", addBos: true));
    }

    [Fact]
    public void Load_Llama3StyleConfig_StopsAtEosIdsAndEndOfTurn()
    {
        var tokenizer = Load(
            Build(Llama3PreTokenizer, ignoreMerges: true, postProcessor: BosTemplateProcessing),
            ("tokenizer_config.json", """{"bos_token": "<|begin_of_text|>", "eos_token": {"content": "<|eot_id|>"}, "chat_template": "{{ '<|start_header_id|>' }}"}"""),
            ("generation_config.json", """{"bos_token_id": 300, "eos_token_id": [256, 301]}"""));
        Assert.Equal(EotId, tokenizer.EosTokenId);
        Assert.Equal([256, EotId], tokenizer.StopTokenIds);
        Assert.Equal("llama3", tokenizer.ChatTemplate.Name);
        var prompt = tokenizer.ChatTemplate.Render([new("user", "the")], addGenerationPrompt: false);
        Assert.Equal(BeginOfText, tokenizer.Encode(prompt)[0]);
    }

    [Fact]
    public void IncrementalDecoder_MultiByteCharacterAcrossTokens_EmitsWhenComplete()
    {
        var tokenizer = Load(Build());
        var decoder = tokenizer.CreateIncrementalDecoder();
        var ids = tokenizer.Encode("a€b"); // € is E2 82 AC: three byte tokens
        Assert.Equal([ByteId('a'), 0xE2, 0x82, 0xAC, ByteId('b')], ids);
        Assert.Equal(["a", "", "", "€", "b"], ids.Select(decoder.Append));
        Assert.Equal(string.Empty, decoder.Flush());
    }

    [Fact]
    public void IncrementalDecoder_Flush_ReplacesUnfinishedCharacter()
    {
        var tokenizer = Load(Build());
        var decoder = tokenizer.CreateIncrementalDecoder();
        Assert.Equal(string.Empty, decoder.Append(0xE2));
        Assert.Equal("\uFFFD", decoder.Flush());
        Assert.Equal("x", decoder.Append(ByteId('x')));
    }

    [Fact]
    public void IncrementalDecoder_SpecialTokens_SkippedOrKept()
    {
        var tokenizer = Load(Build());
        Assert.Equal(string.Empty, tokenizer.CreateIncrementalDecoder().Append(EotId));
        Assert.Equal("<|eot_id|>", tokenizer.CreateIncrementalDecoder(skipSpecialTokens: false).Append(EotId));
    }
}
