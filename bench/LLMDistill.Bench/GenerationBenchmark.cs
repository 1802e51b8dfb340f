using System.Diagnostics;
using LLMDistill.Checkpoints;
using LLMDistill.Inference;
using LLMDistill.Model;
using LLMDistill.Tokenization;
using static TorchSharp.torch;

namespace LLMDistill.Bench;

/// <summary>
/// Batched generation (all prompts in one <see cref="TokenGenerator"/> call) against one prompt at a time, same model,
/// same prompts, greedy, no stop tokens so every row produces exactly the requested tokens.
/// </summary>
internal sealed class GenerationBenchmark : IBenchmark
{
    public string Name => "generation";

    public string Description => "batched vs one-at-a-time greedy generation tokens/s (--model, --prompts 64, --new-tokens 128, --device cpu, --dtype float32)";

    public Task<int> RunAsync(BenchArgs args) => Task.FromResult(Run(args));

    private int Run(BenchArgs args)
    {
        var modelDir = args.String("model", Path.Combine(BenchArgs.RepoRoot(), "..", "shared", "models", "shakespeare-4m"));
        var promptCount = args.Int("prompts", 64);
        var newTokens = args.Int("new-tokens", 128);
        var device = DeviceResolver.Resolve(args.String("device", "cpu"));
        var dtype = ModelDtypes.Parse(args.String("dtype", "float32"));
        var threads = args.Int("threads", Environment.ProcessorCount);
        var dataFile = args.String("data", Path.Combine(BenchArgs.RepoRoot(), "..", "shared", "data", "tinyshakespeare.txt"));
        args.EnsureAllUsed();
        set_num_threads(threads);

        using var model = HfCheckpoint.Load(modelDir, device, dtype);
        var prompts = Prompts(modelDir, dataFile, promptCount);
        var sampling = DecodingParameters.Greedy(newTokens) with { StopTokenIds = [] };
        var requests = prompts.Select(p => new GenerationRequest(p, sampling)).ToArray();
        var generator = new TokenGenerator(model, maxBatchSize: promptCount);
        Console.WriteLine($"model {Path.GetFileName(Path.GetFullPath(modelDir))} ({model.parameters().Sum(p => p.NumberOfElements) / 1e6:F2} M params, {dtype}) on {device}, {get_num_threads()} threads");
        Console.WriteLine($"{promptCount} prompts of {prompts.Min(p => p.Length)}-{prompts.Max(p => p.Length)} tokens, {newTokens} new tokens each");

        generator.Generate(requests.Take(2).Select(r => r with { Sampling = sampling with { MaxNewTokens = 4 } }).ToArray()); // warm-up
        var tokens = (double)promptCount * newTokens;

        var (batched, batchedSeconds, batchedCpu) = Measure(device, () => generator.Generate(requests));
        var (sequential, sequentialSeconds, sequentialCpu) = Measure(device, () => requests.Select(r => generator.Generate([r])[0]).ToArray());

        var identical = batched.Zip(sequential).All(pair => pair.First.TokenIds.SequenceEqual(pair.Second.TokenIds));
        // CPU time is reported too: on a shared machine wall time includes waiting for other processes.
        Console.WriteLine($"batched ({promptCount} at once): wall {batchedSeconds,7:F2} s {tokens / batchedSeconds,9:F1} tokens/s | cpu {batchedCpu,7:F2} s {tokens / batchedCpu,9:F1} tokens/cpu-s");
        Console.WriteLine($"one at a time:        wall {sequentialSeconds,7:F2} s {tokens / sequentialSeconds,9:F1} tokens/s | cpu {sequentialCpu,7:F2} s {tokens / sequentialCpu,9:F1} tokens/cpu-s");
        Console.WriteLine($"speed-up batched / one at a time: {sequentialSeconds / batchedSeconds:F1}x wall, {sequentialCpu / batchedCpu:F1}x cpu; greedy outputs identical: {(identical ? "yes" : "NO")}");
        return identical ? 0 : 1;
    }

    private static (T Result, double WallSeconds, double CpuSeconds) Measure<T>(Device device, Func<T> run)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = run();
        if (device.type == TorchSharp.DeviceType.CUDA)
        {
            cuda.synchronize(device);
        }

        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (result, wall, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
    }

    /// <summary>Prompts of varied length (4-24 tokens) cut from the text at spread-out offsets, so batching needs padding.</summary>
    private static int[][] Prompts(string modelDir, string dataFile, int count)
    {
        var tokenizer = ModelTokenizer.Load(modelDir);
        var text = File.ReadAllText(dataFile);
        var random = new Random(1234);
        return Enumerable.Range(0, count).Select(i =>
        {
            var start = (int)((long)text.Length * i / count);
            var ids = tokenizer.Encode(text.Substring(start, Math.Min(400, text.Length - start)));
            return ids.Take(4 + random.Next(21)).ToArray();
        }).ToArray();
    }
}
