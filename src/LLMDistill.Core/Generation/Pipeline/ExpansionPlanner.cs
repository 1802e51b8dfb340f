using System.Globalization;
using System.Text;
using LLMDistill.Generation.Expansion;
using LLMDistill.Generation.Prompts;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// Plans the requests of an expansion round. Every choice (request kind, examples, operator, sampling seed) comes from
/// a <see cref="Random"/> seeded by the run seed, round and index, and from the pool as it was before the round, so a
/// resumed run plans exactly the same requests. Each request is anchored on one seed, taken round-robin so every seed
/// gets its share; the anchor's seed id and category carry over to the tasks it yields.
/// </summary>
internal static class ExpansionPlanner
{
    public static IReadOnlyList<ExpansionSpec> Plan(RunContext context, int round, IReadOnlyList<TaskCandidate> seeds, IReadOnlyList<TaskCandidate> generated)
    {
        var options = context.Options;
        var expand = options.Expand;
        var specs = new List<ExpansionSpec>(expand.RequestsPerRound);
        for (var i = 0; i < expand.RequestsPerRound; i++)
        {
            var random = new Random(ContentHash.SeedOf(options.Seed.ToString(CultureInfo.InvariantCulture), "expand", round.ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture)));
            var sampling = expand.Sampling.ToParameters(random.Next());
            var anchor = seeds[(((round - 1) * expand.RequestsPerRound) + i) % seeds.Count];
            if (context.Mode == TeacherMode.Completion)
            {
                specs.Add(Completion(context, round, i, anchor, Examples(random, anchor, seeds, generated, expand), sampling));
            }
            else if (expand.EvolFraction > 0 && random.NextDouble() < expand.EvolFraction)
            {
                var pool = generated.Count > 0 && random.NextDouble() < 0.5 ? generated : seeds;
                var source = pool[random.Next(pool.Count)];
                var op = expand.EffectiveEvolOperators[random.Next(expand.EffectiveEvolOperators.Count)];
                specs.Add(Evol(context, round, i, source, op, sampling));
            }
            else
            {
                specs.Add(SelfInstruct(context, round, i, anchor, Examples(random, anchor, seeds, generated, expand), sampling));
            }
        }

        return specs;
    }

    private static List<TaskCandidate> Examples(Random random, TaskCandidate anchor, IReadOnlyList<TaskCandidate> seeds, IReadOnlyList<TaskCandidate> generated, ExpandOptions expand)
    {
        var examples = new List<TaskCandidate> { anchor };
        examples.AddRange(Sample(random, seeds.Where(s => s.Key != anchor.Key).ToList(), expand.SeedExamples - 1));
        examples.AddRange(Sample(random, generated, expand.GeneratedExamples));
        return examples;
    }

    private static IEnumerable<TaskCandidate> Sample(Random random, IReadOnlyList<TaskCandidate> from, int count)
    {
        // Partial Fisher-Yates over indices: k distinct picks in a reproducible order.
        var indices = Enumerable.Range(0, from.Count).ToArray();
        var take = Math.Min(count, indices.Length);
        for (var i = 0; i < take; i++)
        {
            var j = i + random.Next(indices.Length - i);
            (indices[i], indices[j]) = (indices[j], indices[i]);
            yield return from[indices[i]];
        }
    }

    private static ExpansionSpec SelfInstruct(RunContext context, int round, int index, TaskCandidate anchor, List<TaskCandidate> examples, SamplingParameters sampling)
    {
        var template = context.Prompts[TemplateNames.ExpandSelfInstruct];
        var list = new StringBuilder();
        for (var i = 0; i < examples.Count; i++)
        {
            list.Append(CultureInfo.InvariantCulture, $"{i + 1}. {examples[i].Text}");
            if (examples[i].Input is { } input)
            {
                list.Append("\nInput: ").Append(input);
            }

            list.Append('\n');
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["examples"] = list.ToString().TrimEnd(),
            ["count"] = context.Options.Expand.TasksPerRequest.ToString(CultureInfo.InvariantCulture),
            ["next_number"] = (examples.Count + 1).ToString(CultureInfo.InvariantCulture),
        };
        var request = new TeacherRequest(template.RenderChat(values), null, sampling);
        return new ExpansionSpec(round, index, "self-instruct", template.Hash, request, anchor.SeedId, anchor.Category, false);
    }

    private static ExpansionSpec Evol(RunContext context, int round, int index, TaskCandidate source, string op, SamplingParameters sampling)
    {
        var template = context.Prompts[TemplateNames.Evol(op)];
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["task"] = source.Text,
            ["input_section"] = source.Input is null ? "" : "\n\nInput:\n" + source.Input,
        };
        var request = new TeacherRequest(template.RenderChat(values), null, sampling);
        return new ExpansionSpec(round, index, "evol:" + op, template.Hash, request, source.SeedId, source.Category, false);
    }

    private static ExpansionSpec Completion(RunContext context, int round, int index, TaskCandidate anchor, List<TaskCandidate> examples, SamplingParameters sampling)
    {
        var template = context.Prompts[TemplateNames.ExpandCompletion];
        // The anchor goes last, nearest to where the model continues, so it shapes the new opening most.
        var ordered = examples.Skip(1).Append(anchor);
        var text = string.Concat(ordered.Select(e => e.Text.TrimEnd('\n') + "\n\n"));
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["examples"] = text };
        var prompt = template.RenderUser(values);
        if (!prompt.EndsWith("\n\n", StringComparison.Ordinal))
        {
            prompt = prompt.TrimEnd('\n') + "\n\n";
        }

        var requireSpeaker = OpeningParser.IsSpeakerLine(anchor.Text.Split('\n')[0]);
        return new ExpansionSpec(round, index, "completion", template.Hash, new TeacherRequest(null, prompt, sampling), anchor.SeedId, anchor.Category, requireSpeaker);
    }
}
