using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LLMDistill.Teachers;

namespace LLMDistill.Tests.Fixtures;

/// <summary>
/// Deterministic teacher behaviour: replies depend only on the request (prompt and sampling seed), like a teacher
/// behind a response cache. Expansion replies mix good tasks with duplicates and unusable items so every filter runs.
/// </summary>
internal static partial class TeacherScripts
{
    private static readonly string[] Verbs = ["Write", "Explain", "Summarise", "Describe", "Compare", "Draft", "Outline", "Suggest", "Analyse", "Design", "Plan", "Evaluate", "Create", "Critique", "Teach"];
    private static readonly string[] Adjectives = ["short", "detailed", "playful", "formal", "persuasive", "gentle", "technical", "humorous", "concise", "vivid", "balanced", "practical", "historical", "hopeful", "skeptical"];
    private static readonly string[] Nouns = ["letter", "essay", "poem", "guide", "checklist", "dialogue", "speech", "story", "report", "lesson", "review", "proposal", "recipe", "riddle", "memo", "fable", "interview", "puzzle"];
    private static readonly string[] Topics = ["tidal energy", "medieval bridges", "urban gardens", "sleep hygiene", "volcanic islands", "paper recycling", "chess openings", "bee colonies", "rail timetables", "ancient libraries", "solar sails", "river deltas", "language learning", "street markets", "glacier retreat", "board games", "night skies", "coral reefs", "public parks", "old maps", "winter festivals", "desert plants", "clock towers", "folk songs", "mountain huts"];
    private static readonly string[] Audiences = ["children", "retirees", "engineers", "tourists", "nurses", "farmers", "students", "chefs", "librarians", "sailors", "artists", "managers"];
    private static readonly string[] Details = ["a surprising statistic", "one personal anecdote", "a common myth", "two practical tips", "a historical date", "a short quotation", "an analogy", "a counterargument"];
    private static readonly string[] Speakers = ["ROMEO", "JULIET", "HAMLET", "OPHELIA", "KING HENRY", "MACBETH", "PORTIA", "BRUTUS", "VIOLA", "PROSPERO", "FALSTAFF", "LEAR"];
    private static readonly string[] Words = ["night", "crown", "sword", "love", "grief", "honour", "storm", "gentle", "heaven", "blood", "dream", "sorrow", "fortune", "tongue", "heart", "kingdom", "shadow", "light", "river", "vow"];

    /// <summary>Stable 64-bit FNV-1a hash.</summary>
    public static ulong Hash(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }

    public static TeacherResponse Chat(FakeTeacher teacher, TeacherRequest request)
    {
        var text = ReplyText(request.Messages?.Select(m => m.Content).ToList(), request.Prompt, request.JsonSchema is not null, request.Sampling.Seed);
        var key = (request.Messages is null ? request.Prompt : string.Join("\n", request.Messages.Select(m => m.Content))) + "|" + request.Sampling.Seed;
        var logprobs = request.TopLogprobs > 0 ? Logprobs(text, request.TopLogprobs, 0) : null;
        return new TeacherResponse(teacher.Name, teacher.Model, [new TeacherChoice(text, "stop", logprobs)], new TokenUsage(key.Length / 4, text.Length / 4));
    }

    /// <summary>
    /// The reply to a request given by its message contents (chat) or prompt (completion), whether it asks for JSON
    /// (a judge) and its sampling seed; shared by the in-process fake and the scripted HTTP server.
    /// </summary>
    public static string ReplyText(IReadOnlyList<string>? messages, string? prompt, bool json, int? seed)
    {
        var key = (messages is null ? prompt : string.Join("\n", messages)) + "|" + seed;
        var random = new Random((int)(Hash(key) & int.MaxValue));
        if (json)
        {
            var score = 1 + (int)(Hash(key) % 10);
            return $$"""{"rationale": "deterministic grade {{score}}", "score": {{score}}}""";
        }

        if (messages is null)
        {
            return prompt!.EndsWith("\n\n", StringComparison.Ordinal) ? Openings(random) : Verse(random, 24);
        }

        var user = messages[^1];
        return user.Contains("new, diverse tasks", StringComparison.Ordinal) ? TaskList(random, user)
            : user.Contains("#Task#:", StringComparison.Ordinal) || user.Contains("#Given Task#:", StringComparison.Ordinal) ? Evolve(random, user)
            : Answer(random, user);
    }

    public static IReadOnlyList<TokenLogprob> Score(string context, string continuation, int topLogprobs)
        => Logprobs(continuation, topLogprobs, context.Length == 0 ? 0.4 : 0.0);

    /// <summary>Per-"token" (space-led word) logprobs with deterministic alternatives.</summary>
    public static IReadOnlyList<TokenLogprob> Logprobs(string text, int top, double penalty)
    {
        var tokens = TokenPattern().Matches(text).Select(m => m.Value).ToList();
        return tokens.Select((token, i) =>
        {
            var lp = -0.05 - ((Hash(token + i) % 40) / 20.0) - penalty;
            var alternatives = new List<TopLogprob> { new(token, Encoding.UTF8.GetBytes(token), lp, (int)(Hash(token) % 2048)) };
            for (var j = 1; j < top; j++)
            {
                var alt = $" alt{j}";
                alternatives.Add(new TopLogprob(alt, Encoding.UTF8.GetBytes(alt), lp - j, 2048 + j));
            }

            return new TokenLogprob(token, Encoding.UTF8.GetBytes(token), lp, alternatives, (int)(Hash(token) % 2048));
        }).ToList();
    }

    private static string TaskList(Random random, string user)
    {
        var count = int.Parse(CountPattern().Match(user).Groups[1].Value, CultureInfo.InvariantCulture);
        var firstExample = ExamplePattern().Match(user).Groups[1].Value;
        var builder = new StringBuilder("Here are the new tasks:\n\n");
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(20);
            var item = roll switch
            {
                0 or 5 => firstExample,                              // exact copy of an example
                1 => "Describe the image below in detail.",          // needs non-text input
                2 => "Sure, here is a helpful answer.",              // reads like an answer
                3 => "Hi.",                                          // too short
                _ => $"{Pick(random, Verbs)} a {Pick(random, Adjectives)} {Pick(random, Nouns)} about {Pick(random, Topics)} for {Pick(random, Audiences)}, including {Pick(random, Details)}.",
            };
            builder.Append(CultureInfo.InvariantCulture, $"{i + 1}. {item}\n");
            if (roll == 4)
            {
                builder.Append(CultureInfo.InvariantCulture, $"Input: {Pick(random, Topics)} and {Pick(random, Topics)}\n");
            }
        }

        return builder.Append("\nI hope these help!").ToString();
    }

    private static string Evolve(Random random, string user)
    {
        var task = TaskPattern().Match(user).Groups[1].Value.Trim();
        return $"#Rewritten Task#:\n{task} Keep it under {50 + random.Next(200)} words and mention {Pick(random, Details)}.";
    }

    private static string Answer(Random random, string user)
    {
        var builder = new StringBuilder();
        var sentences = 2 + random.Next(4);
        for (var i = 0; i < sentences; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{Pick(random, Verbs)} the {Pick(random, Nouns)} with {Pick(random, Details)} because {Pick(random, Topics)} matter to {Pick(random, Audiences)}. ");
        }

        return builder.Append(CultureInfo.InvariantCulture, $"(re: {user.Length} chars)").ToString();
    }

    private static string Openings(Random random)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 3; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{Pick(random, Speakers)}:\n{Verse(random, 7)}\n{Verse(random, 6)}\n\n");
        }

        return builder.ToString();
    }

    private static string Verse(Random random, int words)
        => string.Join(' ', Enumerable.Range(0, words).Select(_ => Pick(random, Words))) + ",";

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    [GeneratedRegex(@"Come up with (\d+)")]
    private static partial Regex CountPattern();

    [GeneratedRegex(@"(?m)^1\. (.+)$")]
    private static partial Regex ExamplePattern();

    [GeneratedRegex(@"#(?:Given )?Task#:\n(.+?)(?:\n\nInput:|\n\nReply)", RegexOptions.Singleline)]
    private static partial Regex TaskPattern();

    [GeneratedRegex(@"\s*\S+")]
    private static partial Regex TokenPattern();
}
