using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace LLMDistill.Tokenization;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c>. Byte-level BPE (GPT-2, Llama 3, Qwen2, SmolLM) becomes a
/// <see cref="ByteLevelBpeEncoder"/>; other kinds are classified so the loader can prefer <c>tokenizer.model</c>
/// (SentencePiece-style BPE with byte fallback) or refuse them with the file and the type in the message.
/// </summary>
internal static class TokenizerJsonReader
{
    /// <summary>What a tokenizer.json holds.</summary>
    public enum Kind
    {
        /// <summary>BPE over GPT-2's byte alphabet: supported here.</summary>
        ByteLevelBpe,

        /// <summary>SentencePiece-converted BPE (Metaspace / byte fallback, e.g. Llama 2, Mistral): needs tokenizer.model.</summary>
        SentencePieceBpe,

        /// <summary>Anything else (Unigram, WordPiece, WordLevel, character-level BPE).</summary>
        Unsupported,
    }

    /// <summary>Classifies a parsed tokenizer.json; <paramref name="description"/> says what it is, for messages.</summary>
    public static Kind Classify(JsonElement root, out string description)
    {
        var model = JsonFile.Get(root, "model");
        var type = model is { } m ? JsonFile.Get(m, "type")?.ToString() : null;
        if (type is null && model is { } bare && JsonFile.Get(bare, "merges") is not null)
        {
            type = "BPE"; // old files omit model.type for BPE
        }

        if (type != "BPE")
        {
            description = $"model type '{type ?? "(missing)"}'";
            return Kind.Unsupported;
        }

        var pre = JsonFile.Get(root, "pre_tokenizer");
        var decoder = JsonFile.Get(root, "decoder");
        if (HasType(pre, "ByteLevel") || HasType(decoder, "ByteLevel"))
        {
            description = "byte-level BPE";
            return Kind.ByteLevelBpe;
        }

        var byteFallback = model is { } mm && JsonFile.Get(mm, "byte_fallback")?.ValueKind == JsonValueKind.True;
        if (byteFallback || HasType(pre, "Metaspace") || HasType(decoder, "Metaspace") || HasType(decoder, "ByteFallback"))
        {
            description = "SentencePiece-style BPE (Metaspace/byte fallback)";
            return Kind.SentencePieceBpe;
        }

        description = "BPE without a ByteLevel pre-tokenizer or decoder";
        return Kind.Unsupported;
    }

    /// <summary>Builds the encoder and vocabulary of a byte-level BPE tokenizer.json.</summary>
    /// <exception cref="InvalidDataException">A required field is missing or malformed (the message names the file and JSON path).</exception>
    /// <exception cref="NotSupportedException">A declared normalizer or pre-tokenizer is not supported.</exception>
    public static (ByteLevelBpeEncoder Encoder, TokenVocabulary Vocabulary, IReadOnlyList<AddedToken> AddedTokens, string? PostProcessorBos) ReadByteLevel(JsonElement root, string file)
    {
        var model = JsonFile.Get(root, "model") ?? throw JsonFile.Error(file, "$.model", "missing");
        var vocab = ReadVocabulary(model, file);
        var merges = ReadMerges(model, file);
        var added = ReadAddedTokens(root, file);
        var ignoreMerges = JsonFile.GetBool(model, "ignore_merges", false, file, "$.model");

        var options = new BpeOptions(vocab)
        {
            Merges = merges,
            ContinuingSubwordPrefix = JsonFile.GetString(model, "continuing_subword_prefix", file, "$.model"),
            EndOfWordSuffix = JsonFile.GetString(model, "end_of_word_suffix", file, "$.model"),
        };
        BpeTokenizer bpe;
        try
        {
            bpe = BpeTokenizer.Create(options);
        }
        catch (InvalidOperationException ex)
        {
            throw JsonFile.Error(file, "$.model", ex.Message);
        }

        var encoder = new ByteLevelBpeEncoder(
            bpe,
            ignoreMerges ? vocab : null,
            new AddedTokenMatcher(added),
            PreTokenizerReader.Read(JsonFile.Get(root, "pre_tokenizer"), file),
            ReadNormalizer(JsonFile.Get(root, "normalizer"), file, "$.normalizer"));
        return (encoder, BuildVocabulary(vocab, added), added, ReadPostProcessorBos(root));
    }

    private static Dictionary<string, int> ReadVocabulary(JsonElement model, string file)
    {
        var vocabElement = JsonFile.Get(model, "vocab") ?? throw JsonFile.Error(file, "$.model.vocab", "missing");
        if (vocabElement.ValueKind != JsonValueKind.Object)
        {
            throw JsonFile.Error(file, "$.model.vocab", $"expected an object of token -> id, found {JsonFile.Kind(vocabElement)}");
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocabElement.EnumerateObject())
        {
            var id = JsonFile.GetInt(entry.Value, file, $"$.model.vocab[\"{entry.Name}\"]");
            if (id < 0)
            {
                throw JsonFile.Error(file, $"$.model.vocab[\"{entry.Name}\"]", $"negative id {id}");
            }

            vocab[entry.Name] = id;
        }

        return vocab.Count > 0 ? vocab : throw JsonFile.Error(file, "$.model.vocab", "empty vocabulary");
    }

    private static List<string> ReadMerges(JsonElement model, string file)
    {
        var mergesElement = JsonFile.Get(model, "merges");
        var merges = new List<string>();
        if (mergesElement is null)
        {
            return merges;
        }

        if (mergesElement.Value.ValueKind != JsonValueKind.Array)
        {
            throw JsonFile.Error(file, "$.model.merges", $"expected an array, found {JsonFile.Kind(mergesElement.Value)}");
        }

        var index = 0;
        foreach (var merge in mergesElement.Value.EnumerateArray())
        {
            // Two forms: "a b" (tokenizers < 0.20) and ["a", "b"] (newer, allows spaces inside tokens).
            string? left = null, right = null;
            if (merge.ValueKind == JsonValueKind.String && merge.GetString()!.Split(' ') is [var l, var r] && l.Length > 0 && r.Length > 0)
            {
                (left, right) = (l, r);
            }
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
                && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
            {
                (left, right) = (merge[0].GetString(), merge[1].GetString());
                if (left!.Contains(' ', StringComparison.Ordinal) || right!.Contains(' ', StringComparison.Ordinal))
                {
                    throw JsonFile.Error(file, $"$.model.merges[{index}]", "tokens containing spaces are not supported in a byte-level vocabulary");
                }
            }

            if (left is null || right is null)
            {
                throw JsonFile.Error(file, $"$.model.merges[{index}]", $"expected \"a b\" or [\"a\", \"b\"], found {JsonFile.Kind(merge)}");
            }

            merges.Add(left + " " + right);
            index++;
        }

        return merges;
    }

    /// <summary>Reads <c>added_tokens</c>; an absent list is empty.</summary>
    public static List<AddedToken> ReadAddedTokens(JsonElement root, string file)
    {
        var tokens = new List<AddedToken>();
        if (JsonFile.Get(root, "added_tokens") is not { } array)
        {
            return tokens;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw JsonFile.Error(file, "$.added_tokens", $"expected an array, found {JsonFile.Kind(array)}");
        }

        var index = 0;
        foreach (var token in array.EnumerateArray())
        {
            var path = $"$.added_tokens[{index++}]";
            var id = JsonFile.GetInt(JsonFile.Get(token, "id") ?? throw JsonFile.Error(file, path + ".id", "missing"), file, path + ".id");
            var content = JsonFile.GetString(token, "content", file, path) ?? throw JsonFile.Error(file, path + ".content", "missing");
            tokens.Add(new AddedToken(
                id,
                content,
                JsonFile.GetBool(token, "special", false, file, path),
                JsonFile.GetBool(token, "lstrip", false, file, path),
                JsonFile.GetBool(token, "rstrip", false, file, path)));
        }

        return tokens;
    }

    private static TokenVocabulary BuildVocabulary(Dictionary<string, int> vocab, List<AddedToken> added)
    {
        var entries = new Dictionary<int, TokenEntry>(vocab.Count + added.Count);
        foreach (var (text, id) in vocab)
        {
            entries[id] = new TokenEntry(id, text, ByteLevelMapping.Decode(text) ?? Encoding.UTF8.GetBytes(text), IsSpecial: false);
        }

        foreach (var token in added)
        {
            entries[token.Id] = new TokenEntry(token.Id, token.Content, Encoding.UTF8.GetBytes(token.Content), token.IsSpecial);
        }

        return new TokenVocabulary(entries.Values);
    }

    private static NormalizationForm? ReadNormalizer(JsonElement? normalizer, string file, string path)
    {
        if (normalizer is not { } n)
        {
            return null;
        }

        var type = JsonFile.GetString(n, "type", file, path);
        switch (type)
        {
            case "NFC": return NormalizationForm.FormC;
            case "NFD": return NormalizationForm.FormD;
            case "NFKC": return NormalizationForm.FormKC;
            case "NFKD": return NormalizationForm.FormKD;
            case "Sequence":
                var list = JsonFile.Get(n, "normalizers");
                var forms = list is { ValueKind: JsonValueKind.Array } l
                    ? l.EnumerateArray().Select((e, i) => ReadNormalizer(e, file, $"{path}.normalizers[{i}]")).Where(f => f is not null).ToList()
                    : [];
                return forms.Count switch
                {
                    0 => null,
                    1 => forms[0],
                    _ => throw new NotSupportedException($"{file}: {path}: more than one Unicode normalization in a Sequence is not supported"),
                };
            default:
                throw new NotSupportedException($"{file}: {path}: normalizer type '{type}' is not supported (supported: NFC, NFD, NFKC, NFKD, Sequence of them)");
        }
    }

    // TemplateProcessing whose single-sequence template starts with a special token: the model's tokenizer adds it (Llama 3's BOS).
    private static string? ReadPostProcessorBos(JsonElement root)
    {
        var post = JsonFile.Get(root, "post_processor");
        var processor = post is { } p && JsonFile.Get(p, "type")?.ToString() == "Sequence" && JsonFile.Get(p, "processors") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().FirstOrDefault(e => JsonFile.Get(e, "type")?.ToString() == "TemplateProcessing")
            : post;
        if (processor is not { ValueKind: JsonValueKind.Object } tp || JsonFile.Get(tp, "type")?.ToString() != "TemplateProcessing"
            || JsonFile.Get(tp, "single") is not { ValueKind: JsonValueKind.Array } single || single.GetArrayLength() == 0)
        {
            return null;
        }

        return JsonFile.Get(single[0], "SpecialToken") is { } special ? JsonFile.Get(special, "id")?.GetString() : null;
    }

    private static bool HasType(JsonElement? element, string type)
    {
        if (element is not { ValueKind: JsonValueKind.Object } e)
        {
            return false;
        }

        if (JsonFile.Get(e, "type")?.ToString() == type)
        {
            return true;
        }

        foreach (var listName in (string[])["pretokenizers", "decoders", "normalizers", "processors"])
        {
            if (JsonFile.Get(e, listName) is { ValueKind: JsonValueKind.Array } list && list.EnumerateArray().Any(x => HasType(x, type)))
            {
                return true;
            }
        }

        return false;
    }
}
