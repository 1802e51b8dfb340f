using System.Text.Json;
using LLMDistill.Generation.Seeds;

namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// The hash that decides whether an output directory can be resumed: the options that change the content (not
/// parallelism, buffering or paths), the templates, the seeds and the teachers' identities.
/// </summary>
internal static class ConfigFingerprint
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static (string Hash, IReadOnlyDictionary<string, string> Parts) Compute(
        GenerateOptions options,
        IReadOnlyDictionary<string, string> templateHashes,
        IReadOnlyList<SeedTask> seeds,
        IReadOnlyDictionary<string, string> teacherIdentities)
    {
        var relevant = new
        {
            Mode = options.Mode.ToString(),
            options.TargetSamples,
            options.Seed,
            options.IncludeSeeds,
            options.ExpandTeacher,
            AnswerTeachers = options.AnswerTeachers.ToArray(),
            options.JudgeTeacher,
            options.ScoringTeacher,
            Expand = new { options.Expand.RequestsPerRound, options.Expand.TasksPerRequest, options.Expand.SeedExamples, options.Expand.GeneratedExamples, options.Expand.EvolFraction, Operators = options.Expand.EffectiveEvolOperators.ToArray(), options.Expand.MaxRounds, options.Expand.StallRounds, options.Expand.MinTaskChars, options.Expand.MaxTaskChars, options.Expand.OpeningLines, Sampling = Sampling(options.Expand.Sampling) },
            Dedupe = new { options.Dedupe.RougeLThreshold, options.Dedupe.MinHashBands, options.Dedupe.MinHashRows },
            Answer = new { options.Answer.TopLogprobs, Sampling = Sampling(options.Answer.Sampling) },
            Score = new { options.Score.JudgeWeight, options.Score.PerplexityWeight, options.Score.IfdWeight, options.Score.FormatWeight, options.Score.MaxPerplexity, options.Score.MinResponseChars, options.Score.MaxResponseChars, Sampling = Sampling(options.Score.JudgeSampling) },
            Filter = new { options.Filter.MinScore, options.Filter.TopFraction, options.Filter.Window, Quota = options.Filter.Quota.ToString(), options.Filter.MaxQuotaFraction },
            MultiTeacher = new { Strategy = options.MultiTeacher.Strategy.ToString(), options.MultiTeacher.ShortAnswerMaxChars, options.MultiTeacher.MinAgreement, options.MultiTeacher.Mixture, Weights = options.MultiTeacher.MixtureWeights.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray(), options.MultiTeacher.MixtureTopK },
        };
        var parts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["options"] = ContentHash.Of(JsonSerializer.Serialize(relevant, Json)),
            ["templates"] = ContentHash.Of(JsonSerializer.Serialize(templateHashes.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray(), Json)),
            ["seeds"] = ContentHash.Of(JsonSerializer.Serialize(seeds.Select(s => new[] { s.Id, s.Text, s.Input, s.Category }).ToArray(), Json)),
            ["teachers"] = ContentHash.Of(JsonSerializer.Serialize(teacherIdentities.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray(), Json)),
        };
        return (ContentHash.Of(parts["options"], parts["templates"], parts["seeds"], parts["teachers"]), parts);
    }

    private static object Sampling(SamplingOptions s) => new { s.Temperature, s.TopP, s.MaxTokens, Stop = s.Stop.ToArray() };
}
