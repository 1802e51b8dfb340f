using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using LLMDistill.Generation;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Bench;

/// <summary>
/// Throughput of the whole generate pipeline against one endpoint with a fixed latency (default 200 ms) and a request
/// limit (default 600 requests/min), as a fraction of that limit once the pipeline is warm: how well the bounded
/// channels and stage parallelism keep the limit saturated. In-process stand-in for the loopback-server run.
/// </summary>
internal sealed class GenerateThroughputBenchmark : IBenchmark
{
    public string Name => "generate-throughput";

    public string Description => "generate pipeline requests/min against a 200 ms, 600 req/min endpoint (fraction of the limit)";

    public async Task<int> RunAsync(BenchArgs args)
    {
        var latencyMs = args.Int("latency-ms", 200);
        var perMinute = args.Int("rpm", 600);
        var seconds = args.Int("seconds", 60);
        args.EnsureAllUsed();
        using var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, perMinute / 60),
            TokensPerPeriod = Math.Max(1, perMinute / 60),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
        await using var teacher = new ThroughputTeacher("endpoint", TimeSpan.FromMilliseconds(latencyMs), limiter);
        var options = new GenerateOptions
        {
            TargetSamples = 1_000_000,
            ExpandTeacher = "endpoint",
            JudgeTeacher = "endpoint",
            PromptsDirectory = Path.Combine(BenchArgs.RepoRoot(), "prompts"),
            OutputDirectory = Path.Combine(Path.GetTempPath(), "llmd-throughput-" + Guid.NewGuid().ToString("N")[..8]),
        };
        options.AnswerTeachers.Add("endpoint");
        options.Seeds.Add(Path.Combine(BenchArgs.RepoRoot(), "seeds", "instructions.jsonl"));
        options.Pipeline.ShutdownGraceSeconds = 0;
        var pipeline = new GenerationPipeline(options, teacher, NullLogger<GenerationPipeline>.Instance);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(BenchArgs.RepoRoot(), restart: true, stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, seconds / 4.0))); // warm-up: first round of expansion
        var startRequests = teacher.Requests;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var measured = teacher.Requests - startRequests;
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // stopped on purpose
        }

        var perMinuteAchieved = measured / elapsed.TotalMinutes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generate-throughput: {measured} requests in {elapsed.TotalSeconds:F1} s = {perMinuteAchieved:F0}/min against a limit of {perMinute}/min at {latencyMs} ms latency: {perMinuteAchieved / perMinute:F3} of the limit; {pipeline.Progress()?.Kept} samples kept"));
        Directory.Delete(options.OutputDirectory, recursive: true);
        return 0;
    }
}
