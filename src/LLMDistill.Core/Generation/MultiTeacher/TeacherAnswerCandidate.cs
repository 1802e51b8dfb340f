using LLMDistill.Data;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.MultiTeacher;

/// <summary>One teacher's scored answer to a task, before the multi-teacher choice.</summary>
/// <param name="Teacher">Configured teacher name.</param>
/// <param name="Model">Model the endpoint reported.</param>
/// <param name="Response">The answer.</param>
/// <param name="FinishReason">stop, length, ...</param>
/// <param name="Scores">Teaching-value scores.</param>
/// <param name="Logprobs">Top-k logprobs of the answer, when offered.</param>
/// <param name="Sampling">Sampling parameters of the request.</param>
public sealed record TeacherAnswerCandidate(
    string Teacher,
    string Model,
    string Response,
    string FinishReason,
    TeachingScores Scores,
    IReadOnlyList<TokenLogprob>? Logprobs,
    SamplingParameters Sampling);
