using System.Text.Json;
using System.Text.Json.Nodes;
using LLMDistill.Tokenization;

namespace LLMDistill.Tests.Tokenization;

/// <summary>
/// Builds small byte-level BPE tokenizer.json files whose ids can be worked out by hand: ids 0-255 are the single
/// bytes (id = byte value), then a few merges, then added tokens.
/// </summary>
internal static class SyntheticTokenizerJson
{
    public const int GThe = 258;     // "Ġthe" from Ġ+t, h+e, Ġt+he
    public const int Abc = 259;      // "abc": in the vocabulary, but no merge builds it
    public const int ThreeFour = 260; // "34"
    public const int BeginOfText = 300;
    public const int EotId = 301;
    public const int Tool = 302;      // a non-special added token

    public const string Gpt2ByteLevel = """{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}""";

    public const string Llama3PreTokenizer = """
        {"type": "Sequence", "pretokenizers": [
          {"type": "Split", "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"}, "behavior": "Isolated", "invert": false},
          {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}
        """;

    public const string BosTemplateProcessing = """
        {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
         "pair": [], "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [300], "tokens": ["<|begin_of_text|>"]}}}
        """;

    public static int ByteId(char c) => c;

    public static string Build(string? preTokenizer = Gpt2ByteLevel, bool arrayMerges = false, bool ignoreMerges = false,
        string? normalizer = null, string? postProcessor = null)
    {
        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++)
        {
            vocab[ByteLevelMapping.ByteToChar((byte)b).ToString()] = b;
        }

        vocab["Ġt"] = 256;
        vocab["he"] = 257;
        vocab["Ġthe"] = GThe;
        vocab["abc"] = Abc;
        vocab["34"] = ThreeFour;
        string[][] merges = [["Ġ", "t"], ["h", "e"], ["Ġt", "he"], ["3", "4"]];
        var mergesNode = new JsonArray(merges.Select(m => arrayMerges ? (JsonNode)new JsonArray(m[0], m[1]) : JsonValue.Create(m[0] + " " + m[1])).ToArray());
        var model = new JsonObject
        {
            ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null, ["end_of_word_suffix"] = null,
            ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = ignoreMerges, ["vocab"] = vocab, ["merges"] = mergesNode,
        };
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(
                Added(BeginOfText, "<|begin_of_text|>", true), Added(EotId, "<|eot_id|>", true), Added(Tool, "<tool>", false)),
            ["normalizer"] = Parse(normalizer),
            ["pre_tokenizer"] = Parse(preTokenizer),
            ["post_processor"] = Parse(postProcessor),
            ["decoder"] = JsonNode.Parse("""{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true}"""),
            ["model"] = model,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);

    private static JsonObject Added(int id, string content, bool special) => new()
    {
        ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = special,
    };
}
