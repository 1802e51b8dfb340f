using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LLMDistill.Cli.Serving;
using LLMDistill.Inference;
using static TorchSharp.torch;

namespace LLMDistill.Bench;

/// <summary>
/// <c>llmdistill serve</c> over real HTTP on loopback: the same requests (prompts cut from the data, mixed answer lengths,
/// greedy) sent by 32 concurrent clients and by one client at a time; requests/s and tokens/s with their ratios. Then the
/// concurrent run again with dynamic batching (collection window) instead of continuous batching, to compare the two.
/// </summary>
internal sealed class ServeBenchmark : IBenchmark
{
    public string Name => "serve";

    public string Description => "serve: N concurrent clients vs one at a time, continuous vs dynamic batching (--model, --requests 96, --clients 32, --min-tokens 16, --max-tokens 128, --device cpu)";

    public async Task<int> RunAsync(BenchArgs args)
    {
        var modelDir = args.String("model", Path.Combine(BenchArgs.RepoRoot(), "..", "shared", "models", "shakespeare-4m"));
        var requestCount = args.Int("requests", 96);
        var clients = args.Int("clients", 32);
        var minTokens = args.Int("min-tokens", 16);
        var maxTokens = args.Int("max-tokens", 128);
        var device = args.String("device", "cpu");
        var dtype = args.String("dtype", "float32");
        var maxBatch = args.Int("max-batch-size", clients);
        var windowMs = args.Int("window-ms", 10);
        var threads = args.Int("threads", Environment.ProcessorCount);
        var dataFile = args.String("data", Path.Combine(BenchArgs.RepoRoot(), "..", "shared", "data", "tinyshakespeare.txt"));
        args.EnsureAllUsed();
        set_num_threads(threads);
        var requests = Requests(Path.GetFileName(Path.GetFullPath(modelDir)), dataFile, requestCount, minTokens, maxTokens);
        Console.WriteLine($"{requestCount} completion requests (prompts of 20-200 characters, max_tokens {minTokens}-{maxTokens}, greedy), model {Path.GetFileName(Path.GetFullPath(modelDir))} on {device} ({dtype}), {get_num_threads()} threads, batches of up to {maxBatch}");

        var options = new ServeOptions { Model = modelDir, Port = 0, Device = device, Dtype = dtype, MaxBatchSize = maxBatch, BatchWindowMilliseconds = windowMs };
        var (sequential, concurrent, continuousPasses) = await MeasureAsync(options, requests, clients, alsoSequential: true);
        options.Batching = BatchingMode.Dynamic;
        var (_, dynamic, dynamicPasses) = await MeasureAsync(options, requests, clients, alsoSequential: false);

        Console.WriteLine();
        Print("one client at a time", sequential!, null);
        Print($"{clients} clients, continuous", concurrent, continuousPasses);
        Print($"{clients} clients, dynamic", dynamic, dynamicPasses);
        Console.WriteLine();
        Console.WriteLine($"{clients} concurrent clients / one at a time (continuous batching): {concurrent.RequestsPerSecond / sequential!.RequestsPerSecond:F1}x requests/s, {concurrent.TokensPerSecond / sequential.TokensPerSecond:F1}x tokens/s, {concurrent.TokensPerCpuSecond / sequential.TokensPerCpuSecond:F1}x tokens/cpu-s");
        Console.WriteLine($"continuous / dynamic batching ({clients} clients): {concurrent.TokensPerSecond / dynamic.TokensPerSecond:F2}x tokens/s, {concurrent.TokensPerCpuSecond / dynamic.TokensPerCpuSecond:F2}x tokens/cpu-s, {(double)dynamicPasses / continuousPasses:F2}x fewer forward passes, p50 latency {dynamic.P50 / concurrent.P50:F2}x lower, p95 {dynamic.P95 / concurrent.P95:F2}x lower");
        // CPU time is reported too: on a shared machine wall time includes waiting for other processes.
        var same = concurrent.Texts.SequenceEqual(sequential.Texts) && dynamic.Texts.SequenceEqual(sequential.Texts);
        Console.WriteLine($"greedy answers identical across the three runs: {(same ? "yes" : "NO")}");
        return 0;
    }

    private static async Task<(Measurement? Sequential, Measurement Concurrent, long ConcurrentPasses)> MeasureAsync(ServeOptions options, object[] requests, int clients, bool alsoSequential)
    {
        await using var server = await ModelServer.StartAsync(options, apiKey: null, loggerFactory: null, locator: null, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.RootAddress, Timeout = TimeSpan.FromMinutes(30) };
        await SendAsync(http, requests.Take(2).ToArray(), 2); // warm-up
        var sequential = alsoSequential ? await SendAsync(http, requests, 1) : null;
        var before = server.Model.Scheduler.Statistics.ForwardPasses;
        var concurrent = await SendAsync(http, requests, clients);
        return (sequential, concurrent, server.Model.Scheduler.Statistics.ForwardPasses - before);
    }

    /// <summary>Sends every request with <paramref name="clients"/> workers pulling from one queue; keeps answers in request order.</summary>
    private static async Task<Measurement> SendAsync(HttpClient http, object[] requests, int clients)
    {
        var texts = new string[requests.Length];
        var latencies = new double[requests.Length];
        var tokens = 0L;
        var next = -1;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Length)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync("/v1/completions", requests[i]);
                response.EnsureSuccessStatusCode();
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalSeconds;
                texts[i] = json.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()!;
                Interlocked.Add(ref tokens, json.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        Array.Sort(latencies);
        return new Measurement(requests.Length / seconds, tokens / seconds, tokens / cpu, seconds, latencies[latencies.Length / 2], latencies[(int)(latencies.Length * 0.95)], texts);
    }

    private static void Print(string name, Measurement run, long? passes)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-28} {run.Seconds,7:F1} s {run.RequestsPerSecond,8:F2} requests/s {run.TokensPerSecond,9:F1} tokens/s {run.TokensPerCpuSecond,8:F1} tokens/cpu-s  latency p50 {run.P50,6:F2} s p95 {run.P95,6:F2} s{(passes is null ? "" : $"  ({passes} forward passes)")}"));

    /// <summary>Completion requests: prompts cut from the text at spread-out offsets, answer lengths spread over [min, max].</summary>
    private static object[] Requests(string model, string dataFile, int count, int minTokens, int maxTokens)
    {
        var text = File.ReadAllText(dataFile);
        var random = new Random(1234);
        return Enumerable.Range(0, count).Select(i =>
        {
            var start = (int)((long)text.Length * i / count);
            var prompt = text.Substring(start, Math.Min(20 + random.Next(181), text.Length - start));
            return (object)new { model, prompt, max_tokens = minTokens + random.Next(maxTokens - minTokens + 1), temperature = 0 };
        }).ToArray();
    }

    private sealed record Measurement(double RequestsPerSecond, double TokensPerSecond, double TokensPerCpuSecond, double Seconds, double P50, double P95, string[] Texts);
}
