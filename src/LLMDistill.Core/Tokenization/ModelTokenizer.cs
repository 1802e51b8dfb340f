using System.Text;
using LLMDistill.Teachers;

namespace LLMDistill.Tokenization;

/// <summary>
/// A model's tokenizer: Hugging Face <c>tokenizer.json</c> byte-level BPE (GPT-2, Llama 3, Qwen2, SmolLM),
/// SentencePiece <c>tokenizer.model</c> (Llama 2 style, byte fallback) or a tiktoken encoding (cl100k_base,
/// o200k_base), all through Microsoft.ML.Tokenizers, with the special tokens, stop tokens and chat template the
/// model directory declares. Special tokens written in the text are encoded as the special tokens.
/// Immutable; Encode and Decode may be called concurrently.
/// </summary>
public sealed class ModelTokenizer
{
    private readonly ITokenEncoder _encoder;
    private readonly TokenVocabulary _vocabulary;
    private readonly bool _stripLeadingSpace;
    private readonly IReadOnlyList<int> _eosIds;
    private readonly ChatTemplate? _chatTemplate;
    private readonly string? _chatTemplateError;

    internal ModelTokenizer(TokenizerParts parts, ChatTemplate? chatTemplate, string? chatTemplateError)
    {
        _encoder = parts.Encoder;
        _vocabulary = parts.Vocabulary;
        _stripLeadingSpace = parts.StripLeadingSpaceOnDecode;
        _eosIds = parts.EosIds;
        Source = parts.Source;
        BosTokenId = parts.BosTokenId;
        EosTokenId = parts.EosTokenId;
        PadTokenId = parts.PadTokenId;
        AddBosToken = parts.AddBosToken && parts.BosTokenId is not null;
        _chatTemplate = chatTemplate;
        _chatTemplateError = chatTemplateError;
        StopTokenIds = ComputeStopTokenIds();
        Parts = parts;
    }

    /// <summary>Loads the tokenizer of a Hugging Face model directory, detecting its chat template.</summary>
    /// <param name="modelDirectory">A directory with <c>tokenizer.json</c> and/or <c>tokenizer.model</c>, and optionally
    /// <c>tokenizer_config.json</c>, <c>generation_config.json</c>, <c>config.json</c>.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">Neither tokenizer file is present.</exception>
    /// <exception cref="InvalidDataException">A file is malformed; the message names the file and, where useful, the JSON path.</exception>
    /// <exception cref="NotSupportedException">The tokenizer kind is not supported; the message names the file and the type.</exception>
    public static ModelTokenizer Load(string modelDirectory) => Load(modelDirectory, ChatTemplateKind.Auto);

    /// <summary>Loads the tokenizer of a Hugging Face model directory with a chosen chat template.</summary>
    /// <param name="modelDirectory">The model directory.</param>
    /// <param name="chatTemplate">The template family, or <see cref="ChatTemplateKind.Auto"/> to detect it.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">Neither tokenizer file is present.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    /// <exception cref="NotSupportedException">The tokenizer kind is not supported.</exception>
    public static ModelTokenizer Load(string modelDirectory, ChatTemplateKind chatTemplate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDirectory);
        var parts = TokenizerLoader.Load(modelDirectory);
        var template = ChatTemplateDetector.Resolve(chatTemplate, parts.Metadata.ChatTemplate, parts.Metadata.BosToken, parts.EosTokenText, out var error);
        return new ModelTokenizer(parts, template, error is null ? null : $"{modelDirectory}: {error}");
    }

    /// <summary>A tiktoken encoding, for OpenAI teachers: an encoding name or a model name.</summary>
    /// <param name="name"><c>cl100k_base</c>, <c>o200k_base</c>, or a model such as <c>gpt-4o</c> or <c>gpt-4</c>.</param>
    /// <returns>The tokenizer; it has no chat template (the API renders chats).</returns>
    /// <exception cref="ArgumentException">The name is neither a known encoding nor a known model.</exception>
    public static ModelTokenizer ForTiktoken(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ModelTokenizer(TiktokenEncoder.Load(name), null, $"the tiktoken encoding '{name}' has no chat template (the API renders chats)");
    }

    /// <summary>Where the tokenizer came from, e.g. <c>/models/x/tokenizer.json (byte-level BPE)</c>.</summary>
    public string Source { get; }

    /// <summary>One past the largest token id (vocabulary plus added tokens).</summary>
    public int VocabSize => _vocabulary.Size;

    /// <summary>The beginning-of-sequence token id, if the model has one.</summary>
    public int? BosTokenId { get; }

    /// <summary>The end-of-sequence token id, if the model has one.</summary>
    public int? EosTokenId { get; }

    /// <summary>The padding token id, if the model declares one.</summary>
    public int? PadTokenId { get; }

    /// <summary>Whether the model's tokenizer adds BOS to a plain encode (<c>add_bos_token</c>, or a post-processor that
    /// writes it); pass this as <c>addBos</c> to reproduce Hugging Face's <c>encode(text)</c>.</summary>
    public bool AddBosToken { get; }

    /// <summary>Ids that end generation: the EOS ids of generation_config.json/config.json, the tokenizer's EOS,
    /// and the chat template's end-of-turn token when it is a single special token.</summary>
    public IReadOnlyList<int> StopTokenIds { get; }

    /// <summary>The model's chat template.</summary>
    /// <exception cref="NotSupportedException">The model's template is of an unsupported family (load with a forced
    /// <see cref="ChatTemplateKind"/>), or this is a tiktoken encoding.</exception>
    public ChatTemplate ChatTemplate => _chatTemplate ?? throw new NotSupportedException(_chatTemplateError);

    internal TokenizerParts Parts { get; }

    /// <summary>Encodes text to ids. Special tokens written in the text become their ids.</summary>
    /// <param name="text">The text.</param>
    /// <param name="addBos">Prepend the BOS id (ignored when the model has no BOS token).</param>
    /// <returns>The ids.</returns>
    public IReadOnlyList<int> Encode(string text, bool addBos = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 2);
        if (addBos && BosTokenId is { } bos)
        {
            ids.Add(bos);
        }

        _encoder.Encode(text, ids);
        return ids;
    }

    /// <summary>Decodes ids to text; bytes that do not form valid UTF-8 become U+FFFD.</summary>
    /// <param name="ids">Token ids.</param>
    /// <param name="skipSpecialTokens">Leave special tokens (BOS, EOS, end-of-turn, ...) out of the text.</param>
    /// <returns>The text. For SentencePiece the space of the first '▁' is removed, as Hugging Face does.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An id is not in the vocabulary.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        _vocabulary.AppendBytes(ids, skipSpecialTokens, bytes);
        var text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
        return _stripLeadingSpace && text.StartsWith(' ') ? text[1..] : text;
    }

    /// <summary>A decoder for a stream of generated ids that returns only complete UTF-8 text.</summary>
    /// <param name="skipSpecialTokens">Leave special tokens out of the text.</param>
    /// <returns>A new decoder, for one stream.</returns>
    public IncrementalDecoder CreateIncrementalDecoder(bool skipSpecialTokens = true) => new(_vocabulary, skipSpecialTokens);

    /// <summary>The token as the vocabulary writes it (e.g. <c>Ġthe</c>, <c>▁the</c>, <c>&lt;0x0A&gt;</c>, <c>&lt;|eos|&gt;</c>).</summary>
    /// <param name="id">Token id.</param>
    /// <returns>The token text.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not in the vocabulary.</exception>
    public string TokenText(int id) => _vocabulary.Text(id);

    /// <summary>The raw UTF-8 bytes a token stands for (possibly part of a character); specials give their text's bytes.</summary>
    /// <param name="id">Token id.</param>
    /// <returns>A new array with the bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not in the vocabulary.</exception>
    public byte[] TokenBytes(int id) => (byte[])_vocabulary.Bytes(id).Clone();

    /// <summary>The id of the token whose bytes are exactly <paramref name="bytes"/> (e.g. an API's top_logprobs <c>bytes</c>),
    /// preferring ordinary tokens over byte-fallback pieces and special tokens; null when no single token has them.</summary>
    /// <param name="bytes">Token bytes.</param>
    /// <returns>The id, or null.</returns>
    public int? TokenIdOf(ReadOnlySpan<byte> bytes) => _vocabulary.IdOf(bytes);

    /// <summary>The id of the token written <paramref name="tokenText"/> in the vocabulary (e.g. <c>&lt;|im_end|&gt;</c>), or null.</summary>
    /// <param name="tokenText">The token as the vocabulary writes it.</param>
    /// <returns>The id, or null.</returns>
    public int? TokenId(string tokenText)
    {
        ArgumentNullException.ThrowIfNull(tokenText);
        return _vocabulary.IdOfText(tokenText);
    }

    /// <summary>Whether <paramref name="id"/> is a special token.</summary>
    /// <param name="id">Token id.</param>
    /// <returns>True for special tokens.</returns>
    public bool IsSpecialToken(int id) => _vocabulary.IsSpecial(id);

    /// <summary>The same tokenizer with another chat template (the stop ids follow the new end-of-turn token).</summary>
    /// <param name="chatTemplate">The template.</param>
    /// <returns>A new tokenizer sharing this one's vocabulary.</returns>
    public ModelTokenizer WithChatTemplate(ChatTemplate chatTemplate)
    {
        ArgumentNullException.ThrowIfNull(chatTemplate);
        return new ModelTokenizer(Parts, chatTemplate, null);
    }

    /// <inheritdoc/>
    public override string ToString() => Source;

    private List<int> ComputeStopTokenIds()
    {
        var stops = new List<int>(_eosIds);
        if (EosTokenId is { } eos)
        {
            stops.Add(eos);
        }

        if (_chatTemplate is { EndOfTurn.Length: > 0 } template)
        {
            var ids = new List<int>(2);
            _encoder.Encode(template.EndOfTurn, ids);
            if (ids is [var endOfTurn] && _vocabulary.IsSpecial(endOfTurn))
            {
                stops.Add(endOfTurn);
            }
        }

        return stops.Distinct().ToList();
    }
}
