using System.Runtime.CompilerServices;
using LLMDistill.Teachers.Decorators;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Teachers.Accounting;

/// <summary>Refuses new requests once a budget is spent, and charges each answered request to the teacher's meter.</summary>
internal sealed class AccountingTeacherClient : TeacherClientDecorator
{
    private readonly TeacherMeter _meter;
    private readonly ILogger _logger;

    public AccountingTeacherClient(ITeacherClient inner, TeacherMeter meter, ILogger logger)
        : base(inner)
    {
        _meter = meter;
        _logger = logger;
    }

    /// <inheritdoc />
    public override async Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken)
    {
        _meter.EnsureBudget();
        var response = await Inner.CompleteAsync(request, cancellationToken);
        Record(response.Usage);
        return response;
    }

    /// <inheritdoc />
    public override async Task<TeacherScore> ScoreWithUsageAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
    {
        _meter.EnsureBudget();
        var score = await InnerScoreAsync(context, continuation, topLogprobs, cancellationToken);
        Record(score.Usage);
        return score;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<TeacherStreamDelta> StreamAsync(TeacherRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _meter.EnsureBudget();
        await foreach (var delta in InnerStreamAsync(request, cancellationToken).WithCancellation(cancellationToken))
        {
            if (delta.Usage is { } usage)
            {
                Record(usage);
            }

            yield return delta;
        }
    }

    private void Record(TokenUsage usage)
    {
        if (_meter.RecordCall(usage))
        {
            var report = _meter.Report();
            TeacherLog.BudgetReached(_logger, Name, report.CostUsd, _meter.BudgetUsd ?? 0);
        }
    }
}
