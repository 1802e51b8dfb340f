using System.Globalization;
using LLMDistill.Cli.Commands.Generate;
using LLMDistill.Generation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Bench;

/// <summary>
/// Throughput of the generate pipeline against a real loopback HTTP server (<see cref="LoopbackTeacherServer"/>: fixed
/// latency, server-side request limit answered with 429) through the real <c>openai</c> teacher (SDK transport,
/// client-side rate limiter, Polly, accounting), built by the CLI's teacher factory. Reports what the server accepted
/// per minute over a window after warm-up, as a fraction of its limit, and how many requests it refused.
/// </summary>
internal sealed class GenerateHttpBenchmark : IBenchmark
{
    public string Name => "generate-http";

    public string Description => "generate over HTTP through the openai teacher vs a loopback server (200 ms, 600 req/min limit): fraction of the limit";

    public async Task<int> RunAsync(BenchArgs args)
    {
        var latencyMs = args.Int("latency-ms", 200);
        var perMinute = args.Int("rpm", 600);
        var seconds = args.Int("seconds", 60);
        var warmup = args.Int("warmup-seconds", 10);
        // The teacher's own RequestsPerMinute; "off" leaves the limit to the server's 429s and Retry-After.
        var clientLimit = args.String("client-rpm", perMinute.ToString(CultureInfo.InvariantCulture));
        args.EnsureAllUsed();
        await using var server = await LoopbackTeacherServer.StartAsync(TimeSpan.FromMilliseconds(latencyMs), perMinute);
        var scratch = Path.Combine(Path.GetTempPath(), "llmd-generate-http-" + Guid.NewGuid().ToString("N")[..8]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Teachers:CacheDirectory"] = Path.Combine(scratch, "cache"),
            ["Teachers:endpoint:Kind"] = "openai",
            ["Teachers:endpoint:Mode"] = "chat",
            ["Teachers:endpoint:Endpoint"] = server.V1.ToString(),
            ["Teachers:endpoint:Model"] = "loopback-model",
            ["Teachers:endpoint:RequestsPerMinute"] = clientLimit == "off" ? "0" : clientLimit,
            ["Teachers:endpoint:MaxConcurrency"] = "16",
            ["Teachers:endpoint:Cache"] = "false",
        }).Build();
        await using var teachers = DefaultTeachers.Create(configuration, NullLoggerFactory.Instance);
        var options = new GenerateOptions
        {
            TargetSamples = 1_000_000,
            ExpandTeacher = "endpoint",
            JudgeTeacher = "endpoint",
            PromptsDirectory = Path.Combine(BenchArgs.RepoRoot(), "prompts"),
            OutputDirectory = Path.Combine(scratch, "out"),
        };
        options.AnswerTeachers.Add("endpoint");
        options.Seeds.Add(Path.Combine(BenchArgs.RepoRoot(), "seeds", "instructions.jsonl"));
        options.Pipeline.ShutdownGraceSeconds = 0;
        var pipeline = new GenerationPipeline(options, teachers, NullLogger<GenerationPipeline>.Instance);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(BenchArgs.RepoRoot(), restart: true, stop.Token);

        await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(warmup)));
        var from = server.Now;
        var refusedBefore = server.Refused;
        await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(seconds)));
        var to = server.Now;
        var accepted = server.AcceptedBetween(from, to);
        var refused = server.Refused - refusedBefore;
        await stop.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // stopped on purpose
        }

        var achieved = accepted / ((to - from) / 60);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generate-http: {accepted} requests accepted in {to - from:F1} s = {achieved:F0}/min against a server limit of {perMinute}/min at {latencyMs} ms latency (client limit {clientLimit}): {achieved / perMinute:F3} of the limit; {refused} refused with 429; {pipeline.Progress()?.Kept} samples kept"));
        Directory.Delete(scratch, recursive: true);
        return 0;
    }
}
