using System.Text.Json;
using System.Text.RegularExpressions;

namespace LLMDistill.Tokenization;

/// <summary>
/// Turns tokenizer.json's <c>pre_tokenizer</c> into a <see cref="PreTokenizerPipeline"/>: <c>ByteLevel</c> (with or
/// without its GPT-2 regex and prefix space), <c>Split</c> (Regex or String pattern, behaviour Isolated or Removed,
/// e.g. the Llama 3 and Qwen2 patterns), <c>Digits</c>, and <c>Sequence</c> of them. Anything else is refused with
/// the file and JSON path.
/// </summary>
internal static class PreTokenizerReader
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Reads the pre-tokenizer; null means no splitting.</summary>
    public static PreTokenizerPipeline Read(JsonElement? preTokenizer, string file)
    {
        if (preTokenizer is not { } element)
        {
            return PreTokenizerPipeline.None;
        }

        var steps = new List<PreTokenizerPipeline.Step>();
        AddSteps(element, file, "$.pre_tokenizer", steps);
        return new PreTokenizerPipeline(steps);
    }

    private static void AddSteps(JsonElement element, string file, string path, List<PreTokenizerPipeline.Step> steps)
    {
        var type = JsonFile.GetString(element, "type", file, path) ?? throw JsonFile.Error(file, path + ".type", "missing");
        switch (type)
        {
            case "Sequence":
                var list = JsonFile.Get(element, "pretokenizers");
                if (list is not { ValueKind: JsonValueKind.Array } items)
                {
                    throw JsonFile.Error(file, path + ".pretokenizers", "expected an array");
                }

                var i = 0;
                foreach (var item in items.EnumerateArray())
                {
                    AddSteps(item, file, $"{path}.pretokenizers[{i++}]", steps);
                }

                break;
            case "ByteLevel":
                if (JsonFile.GetBool(element, "add_prefix_space", false, file, path))
                {
                    steps.Add(new PreTokenizerPipeline.PrefixSpace());
                }

                if (JsonFile.GetBool(element, "use_regex", true, file, path))
                {
                    steps.Add(new PreTokenizerPipeline.RegexSplit(Compile(PreTokenizerPipeline.Gpt2Pattern, file, path), removeMatches: false));
                }

                break;
            case "Split":
                steps.Add(ReadSplit(element, file, path));
                break;
            case "Digits":
                var individual = JsonFile.GetBool(element, "individual_digits", false, file, path);
                steps.Add(new PreTokenizerPipeline.RegexSplit(Compile(individual ? @"\p{N}" : @"\p{N}+", file, path), removeMatches: false));
                break;
            default:
                throw new NotSupportedException($"{file}: {path}: pre-tokenizer type '{type}' is not supported (supported: ByteLevel, Split, Digits, Sequence)");
        }
    }

    private static PreTokenizerPipeline.RegexSplit ReadSplit(JsonElement element, string file, string path)
    {
        var pattern = JsonFile.Get(element, "pattern") ?? throw JsonFile.Error(file, path + ".pattern", "missing");
        var regex = JsonFile.GetString(pattern, "Regex", file, path + ".pattern");
        var literal = JsonFile.GetString(pattern, "String", file, path + ".pattern");
        var source = regex ?? (literal is not null ? Regex.Escape(literal) : throw JsonFile.Error(file, path + ".pattern", "expected {\"Regex\": ...} or {\"String\": ...}"));
        if (JsonFile.GetBool(element, "invert", false, file, path))
        {
            throw new NotSupportedException($"{file}: {path}.invert: inverted Split patterns are not supported");
        }

        var behavior = JsonFile.GetString(element, "behavior", file, path) ?? "Isolated";
        return behavior switch
        {
            "Isolated" => new PreTokenizerPipeline.RegexSplit(Compile(source, file, path + ".pattern.Regex"), removeMatches: false),
            "Removed" => new PreTokenizerPipeline.RegexSplit(Compile(source, file, path + ".pattern.Regex"), removeMatches: true),
            _ => throw new NotSupportedException($"{file}: {path}.behavior: Split behaviour '{behavior}' is not supported (supported: Isolated, Removed)"),
        };
    }

    private static Regex Compile(string pattern, string file, string path)
    {
        try
        {
            return new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            throw JsonFile.Error(file, path, $"the pattern is not a valid .NET regular expression: {ex.Message}");
        }
    }
}
