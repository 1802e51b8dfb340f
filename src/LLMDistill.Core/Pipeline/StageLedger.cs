using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LLMDistill.Pipeline;

/// <summary>
/// Records which stages of a <c>run</c> finished, and for which configuration, in <c>run-state.json</c> inside the
/// run directory. A stage whose output is complete for the same configuration hash is skipped on the next run;
/// a changed configuration re-runs it and every stage after it.
/// </summary>
public sealed class StageLedger
{
    private const string FileName = "run-state.json";
    private const int FormatVersion = 1;
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly string _path;
    private readonly Dictionary<string, StageRecord> _stages;

    private StageLedger(string path, Dictionary<string, StageRecord> stages)
    {
        _path = path;
        _stages = stages;
    }

    /// <summary>Opens (or starts) the ledger of <paramref name="runDirectory"/>.</summary>
    /// <exception cref="InvalidDataException">The ledger exists but is not a ledger of a known version.</exception>
    public static StageLedger Open(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        var path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path))
        {
            return new StageLedger(path, new Dictionary<string, StageRecord>(StringComparer.Ordinal));
        }

        LedgerFile? file;
        try
        {
            file = JsonSerializer.Deserialize<LedgerFile>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON ({ex.Message}); delete it to re-run every stage", ex);
        }

        if (file is null || file.Version != FormatVersion)
        {
            throw new InvalidDataException($"'{path}' has format version {file?.Version}, expected {FormatVersion}; delete it to re-run every stage");
        }

        return new StageLedger(path, new Dictionary<string, StageRecord>(file.Stages, StringComparer.Ordinal));
    }

    /// <summary>A stable hash of any JSON-serialisable configuration object (plus upstream hashes).</summary>
    public static string HashOf(params object?[] parts)
    {
        var json = JsonSerializer.Serialize(parts);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
    }

    /// <summary>True when <paramref name="stage"/> completed with exactly <paramref name="configHash"/>.</summary>
    public bool IsComplete(string stage, string configHash)
        => _stages.TryGetValue(stage, out var record) && record.ConfigHash == configHash;

    /// <summary>The record of <paramref name="stage"/>'s last completion, or null when it never completed.</summary>
    public StageRecord? Find(string stage) => _stages.GetValueOrDefault(stage);

    /// <summary>Forgets every stage (a restarted run) and persists the empty ledger.</summary>
    public void Clear()
    {
        _stages.Clear();
        Save();
    }

    /// <summary>Marks a stage complete and persists the ledger atomically.</summary>
    public void MarkComplete(string stage, string configHash, TimeSpan elapsed)
    {
        _stages[stage] = new StageRecord(configHash, DateTimeOffset.UtcNow, elapsed.TotalSeconds);
        Save();
    }

    private void Save()
    {
        var tmp = _path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(new LedgerFile(FormatVersion, _stages), JsonOptions));
        File.Move(tmp, _path, overwrite: true);
    }

    /// <summary>One completed stage.</summary>
    public sealed record StageRecord(string ConfigHash, DateTimeOffset CompletedAt, double Seconds);

    private sealed record LedgerFile(int Version, Dictionary<string, StageRecord> Stages);
}
