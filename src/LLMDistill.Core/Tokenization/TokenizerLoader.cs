namespace LLMDistill.Tokenization;

/// <summary>
/// Finds and loads the tokenizer of a model directory. tokenizer.json is used when it is byte-level BPE; a
/// tokenizer.model is preferred when tokenizer.json is another kind (e.g. Llama 2's SentencePiece-converted BPE);
/// anything else is refused with the file and the type in the message.
/// </summary>
internal static class TokenizerLoader
{
    public const string TokenizerJson = "tokenizer.json";
    public const string TokenizerModel = "tokenizer.model";

    public static TokenizerParts Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"model directory '{directory}' not found");
        }

        var metadata = TokenizerMetadata.Read(directory);
        var jsonPath = Path.Combine(directory, TokenizerJson);
        var modelPath = Path.Combine(directory, TokenizerModel);
        if (File.Exists(jsonPath))
        {
            using var doc = JsonFile.Read(jsonPath);
            var kind = TokenizerJsonReader.Classify(doc.RootElement, out var description);
            if (kind == TokenizerJsonReader.Kind.ByteLevelBpe)
            {
                var (encoder, vocabulary, _, postProcessorBos) = TokenizerJsonReader.ReadByteLevel(doc.RootElement, jsonPath);
                var bosDefault = postProcessorBos is null ? null : vocabulary.IdOfText(postProcessorBos);
                return Finish(directory, $"{jsonPath} (byte-level BPE)", encoder, vocabulary, false, metadata, bosDefault, null, addBosDefault: bosDefault is not null);
            }

            if (!File.Exists(modelPath))
            {
                var hint = kind == TokenizerJsonReader.Kind.SentencePieceBpe
                    ? $"; put the model's {TokenizerModel} next to it"
                    : $"; supported: byte-level BPE {TokenizerJson}, SentencePiece {TokenizerModel}";
                throw new NotSupportedException($"{jsonPath}: {description} is not supported{hint}");
            }
        }

        if (File.Exists(modelPath))
        {
            var (encoder, vocabulary, bos, eos) = SentencePieceEncoder.Load(modelPath, metadata.AddedTokensDecoder);
            return Finish(directory, $"{modelPath} (SentencePiece)", encoder, vocabulary, true, metadata, bos >= 0 ? bos : null, eos >= 0 ? eos : null, addBosDefault: true);
        }

        throw new FileNotFoundException($"{directory}: no {TokenizerJson} or {TokenizerModel} found", jsonPath);
    }

    private static TokenizerParts Finish(
        string directory, string source, ITokenEncoder encoder, TokenVocabulary vocabulary, bool stripLeadingSpace,
        TokenizerMetadata metadata, int? bosDefault, int? eosDefault, bool addBosDefault)
    {
        var configFile = Path.Combine(directory, "tokenizer_config.json");
        int? Resolve(string? token, string key, int? configId, int? fallback)
        {
            if (token is not null)
            {
                return vocabulary.IdOfText(token) ?? throw new InvalidDataException($"{configFile}: $.{key}: '{token}' is not in the vocabulary of {source}");
            }

            return configId is { } id && vocabulary.Contains(id) ? id : fallback;
        }

        var bos = Resolve(metadata.BosToken, "bos_token", metadata.ConfigBosId, bosDefault);
        var eos = Resolve(metadata.EosToken, "eos_token", metadata.ConfigEosIds.Count > 0 ? metadata.ConfigEosIds[0] : null, eosDefault);
        var pad = Resolve(metadata.PadToken, "pad_token", metadata.ConfigPadId, null);
        var eosIds = metadata.ConfigEosIds.Where(vocabulary.Contains).ToList();
        return new TokenizerParts(source, encoder, vocabulary, stripLeadingSpace, bos, eos, pad, metadata.AddBosToken ?? addBosDefault, eosIds, metadata);
    }
}
