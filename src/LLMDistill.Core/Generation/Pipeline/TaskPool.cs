namespace LLMDistill.Generation.Pipeline;

/// <summary>
/// Seeds and accepted tasks that serve as examples for later expansion rounds. Dedupe adds a round's accepted tasks
/// and then completes the round; expansion of round r reads the snapshot of rounds &lt; r, so examples never depend
/// on timing.
/// </summary>
internal sealed class TaskPool
{
    private readonly Lock _lock = new();
    private readonly List<(int Round, TaskCandidate Task)> _tasks = [];
    private readonly List<int> _acceptedPerRound = [];
    private readonly AsyncSignal _changed = new();
    private int _completedRounds;
    private bool _closed;

    /// <summary>Adds an accepted task of <paramref name="round"/>.</summary>
    public void Add(int round, TaskCandidate task)
    {
        lock (_lock)
        {
            _tasks.Add((round, task));
        }
    }

    /// <summary>Marks <paramref name="round"/> complete with the number of tasks it added.</summary>
    public void CompleteRound(int round, int accepted)
    {
        lock (_lock)
        {
            while (_acceptedPerRound.Count <= round)
            {
                _acceptedPerRound.Add(0);
            }

            _acceptedPerRound[round] = accepted;
            _completedRounds = Math.Max(_completedRounds, round + 1);
        }

        _changed.Pulse();
    }

    /// <summary>No more rounds will complete (dedupe ended).</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }

        _changed.Pulse();
    }

    /// <summary>Waits until <paramref name="round"/> is complete; false when the pool closed first.</summary>
    public async Task<bool> WaitForRoundAsync(int round, CancellationToken cancellationToken)
    {
        await _changed.WaitUntilAsync(() => { lock (_lock) { return _completedRounds > round || _closed; } }, cancellationToken);
        lock (_lock)
        {
            return _completedRounds > round;
        }
    }

    /// <summary>Seeds and generated tasks of rounds up to <paramref name="round"/>, in acceptance order.</summary>
    public (IReadOnlyList<TaskCandidate> Seeds, IReadOnlyList<TaskCandidate> Generated) Snapshot(int round)
    {
        lock (_lock)
        {
            var tasks = _tasks.Where(t => t.Round <= round).Select(t => t.Task).ToList();
            return (tasks.Where(t => t.Origin == "seed").ToList(), tasks.Where(t => t.Origin != "seed").ToList());
        }
    }

    /// <summary>Accepted counts of the last <paramref name="count"/> completed rounds (generated rounds only).</summary>
    public IReadOnlyList<int> RecentAccepted(int count)
    {
        lock (_lock)
        {
            return _acceptedPerRound.Skip(1).TakeLast(count).ToList();
        }
    }
}
