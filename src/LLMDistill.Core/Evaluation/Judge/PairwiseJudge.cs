using LLMDistill.Teachers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Evaluation.Judge;

/// <summary>
/// Teacher as judge: each pair is judged twice, student first (A) and teacher first (A), to cancel position bias, and
/// the two results are combined by <see cref="Combine"/>. Requests carry a JSON schema for structured output; replies
/// without it are parsed by <see cref="JudgeVerdictParser"/>.
/// </summary>
public sealed partial class PairwiseJudge
{
    /// <summary>The structured-output schema of a verdict.</summary>
    public const string VerdictSchema = """
        {"type":"object","properties":{"reasoning":{"type":"string"},"winner":{"type":"string","enum":["A","B","tie"]}},"required":["reasoning","winner"],"additionalProperties":false}
        """;

    private readonly ITeacherClient _judge;
    private readonly JudgePromptTemplate _template;
    private readonly JudgeOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a judge.</summary>
    /// <param name="judge">The judging teacher.</param>
    /// <param name="template">The rubric.</param>
    /// <param name="options">Sampling and concurrency settings.</param>
    /// <param name="logger">Logs unparseable verdicts and failed requests.</param>
    public PairwiseJudge(ITeacherClient judge, JudgePromptTemplate template, JudgeOptions options, ILogger<PairwiseJudge>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(options);
        _judge = judge;
        _template = template;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// The combination rule: the student wins a pair if it wins in both orders or wins one and ties the other; it loses
    /// symmetrically; two ties, or a win and a loss (the judge followed the position, not the content), make a tie.
    /// A missing verdict in either order leaves the pair unjudged.
    /// </summary>
    /// <param name="studentFirst">The student's result with its answer as A.</param>
    /// <param name="teacherFirst">The student's result with its answer as B.</param>
    /// <returns>The pair's outcome.</returns>
    public static PairOutcome Combine(PairOutcome studentFirst, PairOutcome teacherFirst) => (studentFirst, teacherFirst) switch
    {
        (PairOutcome.Unjudged, _) or (_, PairOutcome.Unjudged) => PairOutcome.Unjudged,
        (PairOutcome.Win, PairOutcome.Win) or (PairOutcome.Win, PairOutcome.Tie) or (PairOutcome.Tie, PairOutcome.Win) => PairOutcome.Win,
        (PairOutcome.Loss, PairOutcome.Loss) or (PairOutcome.Loss, PairOutcome.Tie) or (PairOutcome.Tie, PairOutcome.Loss) => PairOutcome.Loss,
        _ => PairOutcome.Tie,
    };

    /// <summary>Judges the pairs (at most <see cref="JudgeOptions.MaxPairs"/>, <see cref="JudgeOptions.MaxConcurrency"/> at a time).</summary>
    /// <param name="student">The student's name.</param>
    /// <param name="teacher">The name of the teacher whose answers are compared.</param>
    /// <param name="pairs">The pairs.</param>
    /// <param name="cancellationToken">Cancels outstanding requests.</param>
    /// <returns>The summary with per-pair results.</returns>
    /// <exception cref="TeacherException">A fatal judge failure (authentication, budget, ...); other failures leave the pair unjudged.</exception>
    public async Task<JudgeSummary> JudgeAsync(string student, string teacher, IReadOnlyList<JudgePair> pairs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var selected = pairs.Take(_options.MaxPairs).ToArray();
        var results = new JudgedPair[selected.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, selected.Length), parallel, async (i, ct) =>
        {
            results[i] = await JudgePairAsync(selected[i], ct);
        });
        return Summarize(_judge.Name, student, teacher, results);
    }

    /// <summary>Builds the summary of judged pairs.</summary>
    internal static JudgeSummary Summarize(string judge, string student, string teacher, IReadOnlyList<JudgedPair> results)
    {
        int wins = results.Count(r => r.Outcome == PairOutcome.Win), ties = results.Count(r => r.Outcome == PairOutcome.Tie);
        int losses = results.Count(r => r.Outcome == PairOutcome.Loss), judged = wins + ties + losses;
        var consistent = results.Count(r => r.Outcome != PairOutcome.Unjudged && r.StudentFirst == r.TeacherFirst);

        // A single verdict chose position A when the student won as A or lost as B.
        var decisive = results.Where(r => r.Outcome != PairOutcome.Unjudged)
            .SelectMany(r => new[] { (r.StudentFirst, StudentIsA: true), (r.TeacherFirst, StudentIsA: false) })
            .Where(v => v.Item1 is PairOutcome.Win or PairOutcome.Loss).ToArray();
        var choseA = decisive.Count(v => (v.Item1 == PairOutcome.Win) == v.StudentIsA);
        double Rate(int n) => judged == 0 ? 0 : (double)n / judged;
        return new JudgeSummary(judge, student, teacher, results.Count, wins, ties, losses, results.Count - judged,
            Rate(wins), Rate(ties), Rate(losses), judged == 0 ? 0 : (wins + (0.5 * ties)) / judged, Rate(consistent),
            decisive.Length == 0 ? 0.5 : (double)choseA / decisive.Length, results);
    }

    private async Task<JudgedPair> JudgePairAsync(JudgePair pair, CancellationToken cancellationToken)
    {
        var (studentFirst, error1) = await JudgeOrderAsync(pair, studentIsA: true, cancellationToken);
        var (teacherFirst, error2) = await JudgeOrderAsync(pair, studentIsA: false, cancellationToken);
        var outcome = Combine(studentFirst, teacherFirst);
        return new JudgedPair(pair.Id, studentFirst, teacherFirst, outcome, error1 ?? error2);
    }

    private async Task<(PairOutcome Outcome, string? Error)> JudgeOrderAsync(JudgePair pair, bool studentIsA, CancellationToken cancellationToken)
    {
        var (answerA, answerB) = studentIsA ? (pair.StudentAnswer, pair.TeacherAnswer) : (pair.TeacherAnswer, pair.StudentAnswer);
        var (system, user) = _template.Render(pair.Instruction, answerA, answerB);
        var sampling = new SamplingParameters(_options.Temperature, 1.0f, _options.MaxTokens, _options.Seed);
        var request = _judge.Capabilities.Chat || !_judge.Capabilities.Completion
            ? new TeacherRequest([new ChatTurn("system", system), new ChatTurn("user", user)], null, sampling, JsonSchema: VerdictSchema)
            : new TeacherRequest(null, system + "\n\n" + user + "\n", sampling, JsonSchema: VerdictSchema);
        TeacherResponse response;
        try
        {
            response = await _judge.CompleteAsync(request, cancellationToken);
        }
        catch (TeacherException ex) when (!ex.IsFatal)
        {
            LogJudgeFailed(_logger, pair.Id, ex.Message);
            return (PairOutcome.Unjudged, ex.Message);
        }

        var verdict = JudgeVerdictParser.Parse(response.Text, [pair.Instruction, pair.StudentAnswer, pair.TeacherAnswer]);
        if (verdict is null)
        {
            LogUnparseable(_logger, pair.Id, response.Text.Length > 200 ? response.Text[..200] : response.Text);
            return (PairOutcome.Unjudged, "the judge's reply holds no verdict");
        }

        return (verdict, studentIsA) switch
        {
            (JudgeVerdict.Tie, _) => (PairOutcome.Tie, null),
            (JudgeVerdict.A, true) or (JudgeVerdict.B, false) => (PairOutcome.Win, null),
            _ => (PairOutcome.Loss, null),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "judge failed on pair {PairId}: {Reason}")]
    private static partial void LogJudgeFailed(ILogger logger, string pairId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "judge reply for pair {PairId} holds no verdict: {Reply}")]
    private static partial void LogUnparseable(ILogger logger, string pairId, string reply);
}
