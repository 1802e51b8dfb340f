using LLMDistill.Tests.Fixtures;
using LLMDistill.Tokenization;
using static LLMDistill.Tests.Tokenization.SyntheticTokenizerJson;

namespace LLMDistill.Tests.Tokenization;

/// <summary>Missing, malformed and unsupported tokenizer files give errors that name the file (and JSON path).</summary>
public sealed class TokenizerErrorTests
{
    private static TException LoadFails<TException>(Action<TempModelDirectory> setup, params string[] expectedInMessage)
        where TException : Exception
    {
        using var dir = new TempModelDirectory();
        setup(dir);
        var ex = Assert.Throws<TException>(() => ModelTokenizer.Load(dir.Path));
        foreach (var fragment in expectedInMessage)
        {
            Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        }

        return ex;
    }

    [Fact]
    public void Load_MissingDirectory_Throws()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => ModelTokenizer.Load("/nonexistent/model-dir"));
        Assert.Contains("/nonexistent/model-dir", ex.Message);
    }

    [Fact]
    public void Load_NoTokenizerFiles_NamesBothFiles()
        => LoadFails<FileNotFoundException>(_ => { }, "tokenizer.json", "tokenizer.model");

    [Fact]
    public void Load_MalformedJson_NamesFileAndLine()
        => LoadFails<InvalidDataException>(d => d.With("tokenizer.json", "{\n  \"model\": {\n    \"type\": \"BPE\",,\n"), "tokenizer.json", "line 3");

    [Fact]
    public void Load_MissingVocab_NamesJsonPath()
        => LoadFails<InvalidDataException>(
            d => d.With("tokenizer.json", """{"pre_tokenizer": {"type": "ByteLevel"}, "model": {"type": "BPE", "merges": []}}"""),
            "tokenizer.json", "$.model.vocab", "missing");

    [Fact]
    public void Load_BadMergeEntry_NamesIndex()
        => LoadFails<InvalidDataException>(d => d.With("tokenizer.json", Build().Replace("\"Ġ t\"", "42", StringComparison.Ordinal)), "$.model.merges[0]");

    [Fact]
    public void Load_MergeOfUnknownToken_NamesModel()
        => LoadFails<InvalidDataException>(d => d.With("tokenizer.json", Build().Replace("\"h e\"", "\"h zz\"", StringComparison.Ordinal)), "tokenizer.json", "$.model", "zz");

    [Fact]
    public void Load_NonIntegerVocabId_NamesToken()
        => LoadFails<InvalidDataException>(d => d.With("tokenizer.json", Build().Replace("\"Ġthe\": 258", "\"Ġthe\": \"x\"", StringComparison.Ordinal)), "$.model.vocab[\"Ġthe\"]");

    [Fact]
    public void Load_UnigramWithoutModelFile_NamesFileAndType()
        => LoadFails<NotSupportedException>(d => d.With("tokenizer.json", """{"model": {"type": "Unigram", "vocab": [["a", 0.0]]}}"""), "tokenizer.json", "Unigram");

    [Fact]
    public void Load_SentencePieceStyleJsonWithoutModelFile_AsksForTokenizerModel()
        => LoadFails<NotSupportedException>(
            d => d.With("tokenizer.json", """{"decoder": {"type": "Sequence", "decoders": [{"type": "ByteFallback"}]}, "model": {"type": "BPE", "byte_fallback": true, "vocab": {"a": 0}, "merges": []}}"""),
            "tokenizer.json", "SentencePiece", "tokenizer.model");

    [Fact]
    public void Load_SentencePieceStyleJsonWithModelFile_PrefersTokenizerModel()
    {
        using var dir = new TempModelDirectory()
            .With("tokenizer.json", """{"model": {"type": "BPE", "byte_fallback": true, "vocab": {"a": 0}, "merges": []}}""")
            .WithCopy(Path.Combine(SharedPaths.Model("llama2-tokenizer"), "tokenizer.model"));
        var tokenizer = ModelTokenizer.Load(dir.Path);
        Assert.EndsWith("tokenizer.model (SentencePiece)", tokenizer.Source, StringComparison.Ordinal);
        Assert.Equal([1, 15043], tokenizer.Encode("Hello", addBos: true));
    }

    [Fact]
    public void Load_UnsupportedPreTokenizer_NamesPathAndType()
        => LoadFails<NotSupportedException>(d => d.With("tokenizer.json", Build("""{"type": "Sequence", "pretokenizers": [{"type": "Whitespace"}]}""")),
            "tokenizer.json", "$.pre_tokenizer.pretokenizers[0]", "Whitespace");

    [Fact]
    public void Load_InvalidSplitRegex_NamesPath()
        => LoadFails<InvalidDataException>(d => d.With("tokenizer.json", Build("""{"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated"}""")),
            "$.pre_tokenizer.pattern.Regex");

    [Fact]
    public void Load_CorruptTokenizerModel_NamesFile()
        => LoadFails<InvalidDataException>(d => d.With("tokenizer.model", "this is not a protobuf"), "tokenizer.model");

    [Fact]
    public void Load_EosTokenNotInVocabulary_NamesConfigKey()
        => LoadFails<InvalidDataException>(
            d => d.With("tokenizer.json", Build()).With("tokenizer_config.json", """{"eos_token": "<|missing|>"}"""),
            "tokenizer_config.json", "$.eos_token", "<|missing|>");

    [Fact]
    public void Load_MalformedTokenizerConfig_NamesFile()
        => LoadFails<InvalidDataException>(d => d.With("tokenizer.json", Build()).With("tokenizer_config.json", "{\"bos_token\": "), "tokenizer_config.json");

    [Fact]
    public void Load_BadEosIdInGenerationConfig_NamesPath()
        => LoadFails<InvalidDataException>(
            d => d.With("tokenizer.json", Build()).With("generation_config.json", """{"eos_token_id": [2, "x"]}"""),
            "generation_config.json", "$.eos_token_id[1]");

    [Fact]
    public void ChatTemplate_UnknownFamily_ThrowsOnAccessButTokenizerWorks()
    {
        using var dir = new TempModelDirectory().With("tokenizer.json", Build())
            .With("tokenizer_config.json", """{"chat_template": "{% for m in messages %}[INST] {{ m['content'] }} [/INST]{% endfor %}"}""");
        var tokenizer = ModelTokenizer.Load(dir.Path);
        Assert.Equal([GThe], tokenizer.Encode(" the"));
        var ex = Assert.Throws<NotSupportedException>(() => tokenizer.ChatTemplate);
        Assert.Contains("[INST]", ex.Message);
        Assert.Equal("chatml", ModelTokenizer.Load(dir.Path, ChatTemplateKind.ChatML).ChatTemplate.Name);
    }
}
