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
internal sealed class GenerateThroughputBenchmark
{
    public const string Name = "generate-throughput";

    public const string Description = "generate pipeline requests/min against a 200 ms, 600 req/min endpoint (fraction of the limit)";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var latencyMs = Arg(args, "--latency-ms", 200);
        var perMinute = Arg(args, "--rpm", 600);
        var seconds = Arg(args, "--seconds", 60);
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
            PromptsDirectory = Path.Combine(RepoRoot(), "prompts"),
            OutputDirectory = Path.Combine(Path.GetTempPath(), "llmd-throughput-" + Guid.NewGuid().ToString("N")[..8]),
        };
        options.AnswerTeachers.Add("endpoint");
        options.Seeds.Add(Path.Combine(RepoRoot(), "seeds", "instructions.jsonl"));
        options.Pipeline.ShutdownGraceSeconds = 0;
        var pipeline = new GenerationPipeline(options, teacher, NullLogger<GenerationPipeline>.Instance);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(RepoRoot(), restart: true, stop.Token);

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

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LLMDistill.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("LLMDistill.sln not found above " + AppContext.BaseDirectory);
    }

    private static int Arg(IReadOnlyList<string> args, string name, int fallback)
    {
        for (var i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == name)
            {
                return int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
        }

        return fallback;
    }
}
