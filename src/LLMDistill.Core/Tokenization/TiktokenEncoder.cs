using System.Text;
using Microsoft.ML.Tokenizers;

namespace LLMDistill.Tokenization;

/// <summary>
/// A tiktoken encoding (cl100k_base, o200k_base, or the one of a model name such as gpt-4o) through
/// Microsoft.ML.Tokenizers and its Data packages, for counting and aligning OpenAI teachers' tokens.
/// Token texts use GPT-2's byte-level alphabet, as Hugging Face ports of these encodings do.
/// </summary>
internal sealed class TiktokenEncoder : ITokenEncoder
{
    private readonly TiktokenTokenizer _tokenizer;

    private TiktokenEncoder(TiktokenTokenizer tokenizer) => _tokenizer = tokenizer;

    /// <inheritdoc/>
    public void Encode(string text, List<int> ids)
    {
        if (text.Length > 0)
        {
            ids.AddRange(_tokenizer.EncodeToIds(text));
        }
    }

    /// <summary>Loads an encoding by encoding name or model name.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static TokenizerParts Load(string name)
    {
        var encoding = EncodingOf(name) ?? throw new ArgumentException(
            $"unknown tiktoken encoding or model '{name}' (supported: cl100k_base, o200k_base, and models that use them such as gpt-4o, gpt-4, gpt-3.5-turbo)", nameof(name));
        var tokenizer = TiktokenTokenizer.CreateForEncoding(encoding.Name);
        var entries = new List<TokenEntry>();
        foreach (var (bytes, id) in ReadRanks(encoding))
        {
            entries.Add(new TokenEntry(id, ByteLevelMapping.Encode(bytes), bytes, IsSpecial: false));
        }

        foreach (var (text, id) in tokenizer.SpecialTokens ?? new Dictionary<string, int>())
        {
            entries.Add(new TokenEntry(id, text, Encoding.UTF8.GetBytes(text), IsSpecial: true));
        }

        var vocabulary = new TokenVocabulary(entries);
        var eos = vocabulary.IdOfText("<|endoftext|>");
        return new TokenizerParts($"tiktoken {encoding.Name}" + (name == encoding.Name ? string.Empty : $" ({name})"), new TiktokenEncoder(tokenizer), vocabulary,
            StripLeadingSpaceOnDecode: false, BosTokenId: null, EosTokenId: eos, PadTokenId: null, AddBosToken: false, EosIds: [], TokenizerMetadata.Empty);
    }

    /// <summary>The encoding of an encoding or model name, following tiktoken's model table; null when unknown.</summary>
    internal static TiktokenEncoding? EncodingOf(string name)
    {
        var model = name.StartsWith("ft:", StringComparison.Ordinal) ? name[3..] : name;
        foreach (var (prefix, encoding) in ModelPrefixes)
        {
            if (model == encoding.Name || model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return encoding;
            }
        }

        return null;
    }

    // The mergeable ranks ship in the Data packages as a deflated text file, one base64 token per line.
    // The tokenizer does not expose raw token bytes publicly, so they are read from there.
    private static List<(byte[] Bytes, int Id)> ReadRanks(TiktokenEncoding encoding)
    {
        var assembly = System.Reflection.Assembly.Load(new System.Reflection.AssemblyName(encoding.DataAssembly));
        using var resource = assembly.GetManifestResourceStream(encoding.Name + ".tiktoken.deflate")
            ?? throw new InvalidOperationException($"{encoding.DataAssembly} does not contain {encoding.Name}.tiktoken.deflate");
        using var deflate = new System.IO.Compression.DeflateStream(resource, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(deflate, Encoding.ASCII);
        var ranks = new List<(byte[] Bytes, int Id)>(200_000);
        var next = 0;
        while (reader.ReadLine() is { } line)
        {
            // Lines are "base64" (rank = line order) or "base64 rank"; the first may be a "Capacity: N" hint.
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var rank = space > 0 ? int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture) : next;
            ranks.Add((Convert.FromBase64String(space > 0 ? line[..space] : line), rank));
            next = rank + 1;
        }

        return ranks;
    }

    private static readonly TiktokenEncoding Cl100k = new("cl100k_base", "Microsoft.ML.Tokenizers.Data.Cl100kBase");
    private static readonly TiktokenEncoding O200k = new("o200k_base", "Microsoft.ML.Tokenizers.Data.O200kBase");

    // Longer prefixes first (gpt-4o before gpt-4); from tiktoken's model.py.
    private static readonly (string Prefix, TiktokenEncoding Encoding)[] ModelPrefixes =
    [
        ("o200k_base", O200k), ("cl100k_base", Cl100k),
        ("gpt-4o", O200k), ("chatgpt-4o", O200k), ("gpt-4.1", O200k), ("gpt-4.5", O200k), ("gpt-5", O200k),
        ("o1", O200k), ("o3", O200k), ("o4", O200k),
        ("gpt-4", Cl100k), ("gpt-3.5", Cl100k), ("gpt-35", Cl100k), ("text-embedding-3", Cl100k), ("text-embedding-ada-002", Cl100k),
    ];

    /// <summary>An encoding and the Data package assembly that holds its ranks.</summary>
    internal sealed record TiktokenEncoding(string Name, string DataAssembly);
}
