using LLMDistill.Teachers;

namespace LLMDistill.Data;

/// <summary>
/// One row of a generated dataset (one JSON object per line in <c>samples-*.jsonl</c>). This is the contract
/// between <c>generate</c>, <c>merge</c>, <c>train</c> and <c>eval</c>.
/// </summary>
/// <param name="Id">Stable content-derived id (same task + teacher + sampling → same id), used for dedupe and resume.</param>
/// <param name="Mode">chat (Instruction → Response rendered with a chat template) or completion (Prompt continued).</param>
/// <param name="Instruction">The task (chat) or the text to continue (completion).</param>
/// <param name="Input">Optional extra input for the task (Alpaca style).</param>
/// <param name="Response">The teacher's answer.</param>
/// <param name="Provenance">Where it came from.</param>
/// <param name="Scores">Teaching-value scores, with the parts kept.</param>
/// <param name="Logprobs">Top-k logprobs (API) or top-k logits turned into log-probabilities (local) for each response token; null when absent.</param>
/// <param name="Alternatives">Other teachers' answers to the same task (multi-teacher runs).</param>
public sealed record DistillationSample(
    string Id,
    TeacherMode Mode,
    string Instruction,
    string? Input,
    string Response,
    SampleProvenance Provenance,
    TeachingScores? Scores = null,
    IReadOnlyList<TokenLogprob>? Logprobs = null,
    IReadOnlyList<TeacherAnswer>? Alternatives = null);

/// <summary>Where a sample came from.</summary>
/// <param name="SeedId">Id of the seed (file:line or the seed's own id) the task descends from.</param>
/// <param name="Category">Seed category or Evol operator, for quotas.</param>
/// <param name="TemplateHash">Hash of the prompt template(s) used.</param>
/// <param name="Teacher">Configured teacher name that answered.</param>
/// <param name="Model">Model name the endpoint reported.</param>
/// <param name="Sampling">Sampling parameters of the answer.</param>
/// <param name="Origin">How the task was made: <c>seed</c>, <c>self-instruct</c>, <c>evol:&lt;operator&gt;</c>, <c>completion</c>, ...</param>
/// <param name="TargetMixture">Teacher name → weight when <see cref="DistillationSample.Logprobs"/> is a mixture of several teachers' top-k distributions.</param>
public sealed record SampleProvenance(
    string SeedId,
    string? Category,
    string TemplateHash,
    string Teacher,
    string Model,
    SamplingParameters Sampling,
    string? Origin = null,
    IReadOnlyDictionary<string, double>? TargetMixture = null);

/// <summary>Teaching value: one combined score in [0, 1] plus its parts (null where a signal was unavailable).</summary>
public sealed record TeachingScores(double Combined, double? Judge, double? Perplexity, double? Ifd, double? Format, string? JudgeRationale = null);

/// <summary>An answer from another teacher to the same task.</summary>
public sealed record TeacherAnswer(string Teacher, string Model, string Response, TeachingScores? Scores, IReadOnlyList<TokenLogprob>? Logprobs);
