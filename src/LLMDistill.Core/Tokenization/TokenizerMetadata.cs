using System.Text.Json;

namespace LLMDistill.Tokenization;

/// <summary>
/// What a model directory says about special tokens and chat formatting besides the vocabulary:
/// <c>tokenizer_config.json</c> (bos/eos/pad/unk tokens as a string or <c>{"content": ...}</c>, <c>add_bos_token</c>,
/// <c>chat_template</c> as a string or a list of named templates, <c>added_tokens_decoder</c>), <c>chat_template.jinja</c>,
/// and the eos/bos/pad ids of <c>generation_config.json</c> and <c>config.json</c> (an int or a list). All optional.
/// </summary>
internal sealed record TokenizerMetadata(
    string? BosToken,
    string? EosToken,
    string? PadToken,
    bool? AddBosToken,
    string? ChatTemplate,
    IReadOnlyList<int> ConfigEosIds,
    int? ConfigBosId,
    int? ConfigPadId,
    IReadOnlyList<AddedToken> AddedTokensDecoder)
{
    /// <summary>Metadata of a model that ships none (tiktoken encodings).</summary>
    public static TokenizerMetadata Empty { get; } = new(null, null, null, null, null, [], null, null, []);

    /// <summary>Reads the optional files of <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">A file is malformed (the message names it and the JSON path).</exception>
    public static TokenizerMetadata Read(string directory)
    {
        string? bos = null, eos = null, pad = null, template = null;
        bool? addBos = null;
        var addedTokens = new List<AddedToken>();
        var configPath = Path.Combine(directory, "tokenizer_config.json");
        using (var config = JsonFile.ReadOptional(configPath))
        {
            if (config is not null)
            {
                var root = config.RootElement;
                bos = TokenContent(root, "bos_token", configPath);
                eos = TokenContent(root, "eos_token", configPath);
                pad = TokenContent(root, "pad_token", configPath);
                addBos = JsonFile.Get(root, "add_bos_token") is not null ? JsonFile.GetBool(root, "add_bos_token", false, configPath, "$") : null;
                template = ChatTemplateSource(root, configPath);
                ReadAddedTokensDecoder(root, configPath, addedTokens);
            }
        }

        var jinjaPath = Path.Combine(directory, "chat_template.jinja");
        if (template is null && File.Exists(jinjaPath))
        {
            template = File.ReadAllText(jinjaPath);
        }

        var jsonTemplatePath = Path.Combine(directory, "chat_template.json");
        if (template is null && File.Exists(jsonTemplatePath))
        {
            using var doc = JsonFile.Read(jsonTemplatePath);
            template = ChatTemplateSource(doc.RootElement, jsonTemplatePath);
        }

        var (eosIds, bosId, padId) = ReadIds(Path.Combine(directory, "generation_config.json"));
        var (configEos, configBos, configPad) = ReadIds(Path.Combine(directory, "config.json"));
        return new TokenizerMetadata(
            bos, eos, pad, addBos, template,
            eosIds.Count > 0 ? eosIds : configEos,
            bosId ?? configBos,
            padId ?? configPad,
            addedTokens);
    }

    private static string? TokenContent(JsonElement root, string name, string file)
    {
        var value = JsonFile.Get(root, name);
        return value switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Object } o => JsonFile.GetString(o, "content", file, "$." + name)
                ?? throw JsonFile.Error(file, $"$.{name}.content", "missing"),
            { } other => throw JsonFile.Error(file, "$." + name, $"expected a string or {{\"content\": ...}}, found {JsonFile.Kind(other)}"),
        };
    }

    private static string? ChatTemplateSource(JsonElement root, string file)
    {
        var value = JsonFile.Get(root, "chat_template");
        switch (value)
        {
            case null:
                return null;
            case { ValueKind: JsonValueKind.String } s:
                return s.GetString();
            case { ValueKind: JsonValueKind.Array } list:
                // Named templates (e.g. "default", "tool_use"): the default one renders plain chats.
                var named = list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList();
                var chosen = named.FirstOrDefault(e => JsonFile.Get(e, "name")?.ToString() == "default");
                if (chosen.ValueKind == JsonValueKind.Undefined && named.Count > 0)
                {
                    chosen = named[0];
                }

                return chosen.ValueKind == JsonValueKind.Object ? JsonFile.GetString(chosen, "template", file, "$.chat_template[]") : null;
            default:
                throw JsonFile.Error(file, "$.chat_template", $"expected a string or a list of {{name, template}}, found {JsonFile.Kind(value.Value)}");
        }
    }

    private static void ReadAddedTokensDecoder(JsonElement root, string file, List<AddedToken> tokens)
    {
        if (JsonFile.Get(root, "added_tokens_decoder") is not { ValueKind: JsonValueKind.Object } decoder)
        {
            return;
        }

        foreach (var entry in decoder.EnumerateObject())
        {
            var path = $"$.added_tokens_decoder[\"{entry.Name}\"]";
            if (!int.TryParse(entry.Name, System.Globalization.CultureInfo.InvariantCulture, out var id) || id < 0)
            {
                throw JsonFile.Error(file, path, "the key must be a token id");
            }

            var content = JsonFile.GetString(entry.Value, "content", file, path) ?? throw JsonFile.Error(file, path + ".content", "missing");
            tokens.Add(new AddedToken(id, content, JsonFile.GetBool(entry.Value, "special", false, file, path),
                JsonFile.GetBool(entry.Value, "lstrip", false, file, path), JsonFile.GetBool(entry.Value, "rstrip", false, file, path)));
        }
    }

    private static (List<int> EosIds, int? BosId, int? PadId) ReadIds(string path)
    {
        using var doc = JsonFile.ReadOptional(path);
        if (doc is null)
        {
            return ([], null, null);
        }

        var root = doc.RootElement;
        var eos = new List<int>();
        switch (JsonFile.Get(root, "eos_token_id"))
        {
            case { ValueKind: JsonValueKind.Array } list:
                var i = 0;
                foreach (var item in list.EnumerateArray())
                {
                    eos.Add(JsonFile.GetInt(item, path, $"$.eos_token_id[{i++}]"));
                }

                break;
            case { } single:
                eos.Add(JsonFile.GetInt(single, path, "$.eos_token_id"));
                break;
        }

        int? Optional(string name) => JsonFile.Get(root, name) is { } v ? JsonFile.GetInt(v, path, "$." + name) : null;
        return (eos, Optional("bos_token_id"), Optional("pad_token_id"));
    }
}
