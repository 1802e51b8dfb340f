using System.Collections.Concurrent;

namespace LLMDistill.Teachers.Accounting;

/// <summary>The meters of all teachers of one factory, and the overall budget they share.</summary>
internal sealed class TeacherUsageLedger
{
    private readonly ConcurrentDictionary<string, TeacherMeter> _meters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();
    private decimal _totalCost;

    /// <summary>Creates a ledger with an optional overall budget.</summary>
    public TeacherUsageLedger(decimal? totalBudgetUsd) => TotalBudgetUsd = totalBudgetUsd;

    /// <summary>The overall budget, if any.</summary>
    public decimal? TotalBudgetUsd { get; }

    /// <summary>The cost of all teachers so far.</summary>
    public decimal TotalCostUsd
    {
        get
        {
            lock (_lock)
            {
                return _totalCost;
            }
        }
    }

    /// <summary>The meter of a teacher, created on first use.</summary>
    public TeacherMeter MeterFor(string teacher, TeacherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return _meters.GetOrAdd(teacher, name => new TeacherMeter(name, options.PromptPricePerMillion, options.CompletionPricePerMillion, options.BudgetUsd, this));
    }

    /// <summary>Usage of every teacher that has a meter, by name.</summary>
    public IReadOnlyList<TeacherUsageReport> Reports()
        => _meters.Values.Select(m => m.Report()).OrderBy(r => r.Teacher, StringComparer.Ordinal).ToList();

    /// <summary>Throws when the overall budget is spent.</summary>
    /// <exception cref="TeacherException"><see cref="TeacherErrorCategory.BudgetExhausted"/>.</exception>
    public void EnsureTotalBudget(string teacher)
    {
        var spent = TotalCostUsd;
        if (TotalBudgetUsd is { } budget && spent >= budget)
        {
            throw new TeacherException(teacher, TeacherErrorCategory.BudgetExhausted,
                $"all teachers together spent {spent:0.######} USD of the overall budget of {budget:0.######} USD ({TeacherPoolOptions.SectionName}:TotalBudgetUsd)");
        }
    }

    internal void AddCost(decimal cost)
    {
        lock (_lock)
        {
            _totalCost += cost;
        }
    }
}
