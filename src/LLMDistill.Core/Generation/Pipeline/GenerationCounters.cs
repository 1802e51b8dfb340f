using System.Collections.Concurrent;
using System.Diagnostics;

namespace LLMDistill.Generation.Pipeline;

/// <summary>Thread-safe counts and busy times of a run, for progress and the manifest.</summary>
internal sealed class GenerationCounters
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _rejections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _busyTicks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _models = new(StringComparer.Ordinal);

    public void Add(string name, long by = 1) => _counts.AddOrUpdate(name, by, (_, v) => v + by);

    public long Get(string name) => _counts.GetValueOrDefault(name);

    public void Reject(string reason, long by = 1) => _rejections.AddOrUpdate(reason, by, (_, v) => v + by);

    public long Kept => Get(CounterNames.Kept);

    public long RejectedTotal => _rejections.Values.Sum();

    public IReadOnlyDictionary<string, long> Counts => _counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value);

    public IReadOnlyDictionary<string, long> Rejections => _rejections.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value);

    public void AddBusy(string stage, long startTimestamp) => _busyTicks.AddOrUpdate(stage, Stopwatch.GetElapsedTime(startTimestamp).Ticks, (_, v) => v + Stopwatch.GetElapsedTime(startTimestamp).Ticks);

    public IReadOnlyDictionary<string, double> BusySeconds => _busyTicks.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => Math.Round(TimeSpan.FromTicks(kv.Value).TotalSeconds, 3));

    public void SawModel(string teacher, string model) => _models.GetOrAdd(teacher, _ => new(StringComparer.Ordinal)).TryAdd(model, 0);

    public IReadOnlyList<string> ModelsOf(string teacher) => _models.TryGetValue(teacher, out var models) ? models.Keys.Order(StringComparer.Ordinal).ToList() : [];
}
