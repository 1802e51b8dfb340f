namespace LLMDistill.Teachers.Accounting;

/// <summary>
/// Requests, tokens and cost of one teacher, with its budget and the shared overall budget. Thread-safe. Cost is
/// charged from the response's usage at the configured prices per million tokens; cache hits cost nothing.
/// </summary>
internal sealed class TeacherMeter
{
    private const decimal TokensPerPrice = 1_000_000m;
    private readonly TeacherUsageLedger _ledger;
    private readonly Lock _lock = new();
    private long _requests;
    private long _cacheHits;
    private long _promptTokens;
    private long _completionTokens;
    private decimal _cost;

    internal TeacherMeter(string teacher, decimal promptPricePerMillion, decimal completionPricePerMillion, decimal? budgetUsd, TeacherUsageLedger ledger)
    {
        Teacher = teacher;
        PromptPricePerMillion = promptPricePerMillion;
        CompletionPricePerMillion = completionPricePerMillion;
        BudgetUsd = budgetUsd;
        _ledger = ledger;
    }

    /// <summary>The teacher's name.</summary>
    public string Teacher { get; }

    /// <summary>USD per million prompt tokens.</summary>
    public decimal PromptPricePerMillion { get; }

    /// <summary>USD per million completion tokens.</summary>
    public decimal CompletionPricePerMillion { get; }

    /// <summary>This teacher's budget, if any.</summary>
    public decimal? BudgetUsd { get; }

    /// <summary>The cost of <paramref name="usage"/> at this teacher's prices.</summary>
    public decimal CostOf(TokenUsage usage)
        => ((usage.PromptTokens * PromptPricePerMillion) + (usage.CompletionTokens * CompletionPricePerMillion)) / TokensPerPrice;

    /// <summary>Throws when this teacher's or the overall budget is spent, before a request is sent.</summary>
    /// <exception cref="TeacherException"><see cref="TeacherErrorCategory.BudgetExhausted"/>.</exception>
    public void EnsureBudget()
    {
        decimal spent;
        lock (_lock)
        {
            spent = _cost;
        }

        if (BudgetUsd is { } budget && spent >= budget)
        {
            throw new TeacherException(Teacher, TeacherErrorCategory.BudgetExhausted,
                $"spent {spent:0.######} USD of its budget of {budget:0.######} USD ({TeacherOptions.SectionPrefix}:{Teacher}:BudgetUsd)");
        }

        _ledger.EnsureTotalBudget(Teacher);
    }

    /// <summary>Records an answered request and its cost.</summary>
    /// <returns>True when this call used up the teacher's budget (for a one-time log line).</returns>
    public bool RecordCall(TokenUsage usage)
    {
        var cost = CostOf(usage);
        bool reached;
        lock (_lock)
        {
            var before = _cost;
            _requests++;
            _promptTokens += usage.PromptTokens;
            _completionTokens += usage.CompletionTokens;
            _cost += cost;
            reached = BudgetUsd is { } budget && before < budget && _cost >= budget;
        }

        _ledger.AddCost(cost);
        return reached;
    }

    /// <summary>Records a request answered from the cache: counted, never charged.</summary>
    public void RecordCacheHit()
    {
        lock (_lock)
        {
            _requests++;
            _cacheHits++;
        }
    }

    /// <summary>A snapshot of the figures.</summary>
    public TeacherUsageReport Report()
    {
        lock (_lock)
        {
            return new TeacherUsageReport(Teacher, _requests, _cacheHits, _promptTokens, _completionTokens, _cost);
        }
    }
}
