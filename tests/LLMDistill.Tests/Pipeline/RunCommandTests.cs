using System.Security.Cryptography;
using LLMDistill.Data;
using LLMDistill.Evaluation.Report;
using LLMDistill.Pipeline;
using LLMDistill.Tests.Checkpoints;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Pipeline;

/// <summary>
/// <c>llmdistill run</c> end to end as a separate process, at tiny sizes (shakespeare-1m teacher, 24 samples, a
/// one-layer student, a few steps): every file is written and parses, a second run skips every stage, a changed
/// setting re-runs exactly the stages downstream of it, and start-up or teacher failures leave the run untouched.
/// </summary>
public sealed class RunCommandTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Run_TinyJob_WritesEverything_SkipsWhenComplete_AndRerunsDownstreamOfAChange()
    {
        var run = _dir.File("run");

        var (exit, stdout, stderr) = CliProcess.Run(Args(run), SharedPaths.RepoRoot, timeout: RunTimeout);

        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("(7 stage(s) run, 0 skipped)", stdout, StringComparison.Ordinal);
        var manifest = DatasetDirectory.TryReadManifest(Path.Combine(run, "dataset"))!;
        Assert.True(manifest.Complete);
        Assert.Equal(24, manifest.Counts["kept"]);
        foreach (var variant in new[] { "kd", "ce", "kd-filtered", "kd-random" })
        {
            Assert.True(File.Exists(Path.Combine(run, "students", variant, "student", "model.safetensors")), variant);
            Assert.True(File.Exists(Path.Combine(run, "students", variant, "metrics.jsonl")), variant);
        }

        var report = await MetricsJson.ReadAsync(Path.Combine(run, "eval", "metrics.json"), CancellationToken.None);
        var proof = Assert.Single(report.Comparisons!, c => c.Title == DistillationProof.Title);
        Assert.Equal(["kd", "ce", "kd-filtered", "kd-random"], proof.Rows.Select(r => r.Name));
        Assert.All(proof.Rows, r => Assert.True(r.Values[1] is > 0, $"{r.Name} has no KL to the teacher"));
        Assert.Contains(DistillationProof.Title, await File.ReadAllTextAsync(Path.Combine(run, "eval", "report.md")), StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", await File.ReadAllTextAsync(Path.Combine(run, "eval", "report.html")), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("finding: token-level KD vs sequence-level CE only", stdout, StringComparison.Ordinal);
        var first = Snapshot(run);

        (exit, stdout, stderr) = CliProcess.Run(Args(run), SharedPaths.RepoRoot, timeout: RunTimeout);

        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("(0 stage(s) run, 7 skipped)", stdout, StringComparison.Ordinal);
        Assert.Equal(first, Snapshot(run));

        (exit, stdout, stderr) = CliProcess.Run([.. Args(run), "--Train:Steps=5"], SharedPaths.RepoRoot, timeout: RunTimeout);

        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("(5 stage(s) run, 2 skipped)", stdout, StringComparison.Ordinal);
        Assert.Contains("[1/7 generate | ", stdout, StringComparison.Ordinal);
        Assert.Matches(@"\[1/7 generate \| \d+s\] skipped", stdout);
        Assert.Matches(@"\[2/7 split \| \d+s\] skipped", stdout);
        var second = Snapshot(run);
        Assert.Equal(first["dataset/samples-00000.jsonl"], second["dataset/samples-00000.jsonl"]);
        Assert.Equal(first["splits/heldout/samples-00000.jsonl"], second["splits/heldout/samples-00000.jsonl"]);
        Assert.NotEqual(first["students/kd/student/model.safetensors"], second["students/kd/student/model.safetensors"]);
        Assert.NotEqual(first["eval/metrics.json"], second["eval/metrics.json"]);

        // Failures at start-up or at the teacher: one line naming the problem, exit 1, the finished run untouched.
        var endpoint = "http://127.0.0.1:9/v1"; // the discard port: nothing listens
        (string[] Extra, string Expected)[] failures =
        [
            (["--Run:HeldOutFraction=2"], "Run:HeldOutFraction"),
            (["--Teachers:local:Model=" + _dir.File("no-such-model")], "Teachers:local:Model: the model directory"),
            (["--Teachers:Default=vllm", "--Teachers:vllm:Enabled=true", "--Teachers:vllm:Endpoint=" + endpoint, "--Teachers:vllm:MaxRetries=0", "--Train:Teacher=" + SharedPaths.Model("shakespeare-1m")], "teacher 'vllm'"),
        ];
        foreach (var (extra, expected) in failures)
        {
            (exit, stdout, stderr) = CliProcess.Run([.. Args(run), "--Train:Steps=5", .. extra], SharedPaths.RepoRoot, timeout: RunTimeout);

            Assert.True(exit == 1, $"{string.Join(' ', extra)}: exit {exit}\n{stdout}\n{stderr}");
            CliProcess.AssertOneErrorLine(stderr, expected);
            var now = Snapshot(run);
            Assert.All(second, file => Assert.Equal(file.Value, now.GetValueOrDefault(file.Key)));
        }
    }

    [Fact]
    public void Run_HubModelOffline_SaysHowToUseALocalDirectory()
    {
        var (exit, _, stderr) = CliProcess.Run(["run", "--out", _dir.File("run"), "--Hub:Endpoint=http://127.0.0.1:9", "--Hub:CacheDir=" + _dir.File("hub"), "--Hub:MaxRetries=0"], SharedPaths.RepoRoot, timeout: RunTimeout);

        Assert.Equal(1, exit);
        CliProcess.AssertOneErrorLine(stderr, "Teachers:local:Model: cannot get model 'hf:HuggingFaceTB/SmolLM2-135M-Instruct'");
        Assert.Contains("--Teachers:local:Model=../shared/models/shakespeare-4m", stderr, StringComparison.Ordinal);
    }

    private string[] Args(string run) =>
    [
        "run", "--out", run,
        "--Teachers:local:Model=" + SharedPaths.Model("shakespeare-1m"), "--Teachers:local:Device=cpu", "--Teachers:CacheDirectory=" + _dir.File("cache"),
        "--Generate:TargetSamples=24", "--Generate:Expand:Sampling:MaxTokens=96", "--Generate:Answer:Sampling:MaxTokens=24", "--Generate:Pipeline:ProgressIntervalSeconds=1",
        "--Train:Steps=4", "--Train:LearningRate:WarmupSteps=1", "--Train:BatchSize=2", "--Train:SequenceLength=64", "--Train:Device=cpu",
        "--Train:EvalEvery=0", "--Train:LogEvery=2", "--Train:CheckpointEvery=0",
        "--Train:Student:Layers=1", "--Train:Student:HiddenSize=32", "--Train:Student:Heads=2", "--Train:Student:KeyValueHeads=1",
        "--Eval:MaxSamples=6", "--Eval:MaxGenerationSamples=3", "--Eval:MaxNewTokens=8", "--Eval:Speed=false", "--Inference:Device=cpu",
    ];

    /// <summary>Relative path → SHA-256 of every file of the run but the ledger's temporary file.</summary>
    private static Dictionary<string, string> Snapshot(string run)
        => Directory.GetFiles(run, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(run, f).Replace('\\', '/'), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
