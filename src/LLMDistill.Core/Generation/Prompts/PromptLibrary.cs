namespace LLMDistill.Generation.Prompts;

/// <summary>
/// The templates a run needs, loaded from the prompts directory and checked at start-up: every template must use
/// all its required placeholders and no unknown one, so a typo fails before the first request, naming the file.
/// </summary>
public sealed class PromptLibrary
{
    private readonly Dictionary<string, PromptTemplate> _templates;

    private PromptLibrary(string directory, Dictionary<string, PromptTemplate> templates)
    {
        Directory = directory;
        _templates = templates;
    }

    /// <summary>The prompts directory.</summary>
    public string Directory { get; }

    /// <summary>Template name → content hash, for the manifest and the config hash.</summary>
    public IReadOnlyDictionary<string, string> Hashes => _templates.ToDictionary(t => t.Key, t => t.Value.Hash, StringComparer.Ordinal);

    /// <summary>The loaded template <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">It was not loaded.</exception>
    public PromptTemplate this[string name] => _templates.TryGetValue(name, out var template)
        ? template
        : throw new KeyNotFoundException($"prompt template '{name}' was not loaded");

    /// <summary>Loads and checks the templates <paramref name="names"/> from <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">A template file is missing.</exception>
    /// <exception cref="FormatException">A template is malformed or has an unknown or missing placeholder; the message names the file.</exception>
    public static PromptLibrary Load(string directory, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var templates = new Dictionary<string, PromptTemplate>(StringComparer.Ordinal);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            var path = System.IO.Path.Combine(directory, name + ".md");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"prompt template '{path}' does not exist (see prompts/README.md)", path);
            }

            var template = PromptTemplate.Parse(name, path, File.ReadAllText(path));
            Check(template);
            templates[name] = template;
        }

        return new PromptLibrary(directory, templates);
    }

    /// <summary>The template names a run with these options uses.</summary>
    public static IReadOnlyList<string> RequiredBy(GenerateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var names = new List<string>();
        if (options.Mode == Teachers.TeacherMode.Completion)
        {
            names.Add(TemplateNames.ExpandCompletion);
            names.Add(TemplateNames.AnswerCompletion);
            names.Add(TemplateNames.JudgeCompletion);
        }
        else
        {
            names.Add(TemplateNames.ExpandSelfInstruct);
            if (options.Expand.EvolFraction > 0)
            {
                names.AddRange(options.Expand.EffectiveEvolOperators.Select(TemplateNames.Evol));
            }

            names.Add(TemplateNames.Answer);
            names.Add(TemplateNames.Judge);
        }

        if (string.IsNullOrWhiteSpace(options.JudgeTeacher))
        {
            names.RemoveAll(n => n is TemplateNames.Judge or TemplateNames.JudgeCompletion);
        }

        return names;
    }

    private static void Check(PromptTemplate template)
    {
        var spec = TemplateNames.Spec(template.Name);
        var unknown = template.Placeholders.Where(p => !spec.Required.Contains(p) && !spec.Optional.Contains(p)).Order(StringComparer.Ordinal).ToList();
        var missing = spec.Required.Where(p => !template.Placeholders.Contains(p)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0 || missing.Count > 0)
        {
            var parts = new List<string>();
            if (unknown.Count > 0)
            {
                parts.Add("unknown placeholder(s) " + string.Join(", ", unknown.Select(p => "{" + p + "}")));
            }

            if (missing.Count > 0)
            {
                parts.Add("missing placeholder(s) " + string.Join(", ", missing.Select(p => "{" + p + "}")));
            }

            var allowed = string.Join(", ", spec.Required.Concat(spec.Optional).Select(p => "{" + p + "}"));
            throw new FormatException($"{template.Path}: {string.Join("; ", parts)} (allowed: {allowed}; see prompts/README.md)");
        }

        if (spec.CompletionOnly && template.HasSystem)
        {
            throw new FormatException($"{template.Path}: a completion template cannot have a [system] part");
        }
    }
}
