using System.Diagnostics;
using LLMDistill.Inference;
using LLMDistill.Model;

namespace LLMDistill.Evaluation.Speed;

/// <summary>
/// Measures greedy generation speed with the batched generator, after one warm-up run: latency per token with one row
/// and throughput with <see cref="EvalOptions.SpeedBatchSize"/> rows. Stop tokens are disabled, so every row generates
/// exactly <see cref="EvalOptions.SpeedNewTokens"/> tokens, and the prompts are fixed synthetic ids (speed does not
/// depend on which tokens a dense model reads), so every model does the same work. The generator reads each new token
/// back to the host, so the timings include device synchronisation.
/// </summary>
public static class SpeedBenchmark
{
    /// <summary>Measures one model.</summary>
    /// <param name="model">The model, on its device.</param>
    /// <param name="options">Rows, prompt length and new tokens.</param>
    /// <param name="cancellationToken">Cancels between steps.</param>
    /// <returns>The measurement.</returns>
    public static SpeedMeasurement Measure(LlamaForCausalLM model, EvalOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var generator = new TokenGenerator(model, defaultStopTokenIds: [], maxBatchSize: options.SpeedBatchSize);
        var prompt = SyntheticPrompt(model.Config.VocabSize, options.SpeedPromptTokens);
        var sampling = DecodingParameters.Greedy(options.SpeedNewTokens) with { StopTokenIds = [] };

        // Warm-up: first-call allocations and kernel selection are not part of steady-state speed.
        generator.Generate([new GenerationRequest(prompt, sampling with { MaxNewTokens = Math.Min(4, options.SpeedNewTokens) })], null, cancellationToken);

        var single = Time(generator, [new GenerationRequest(prompt, sampling)], cancellationToken);
        var rows = Enumerable.Range(0, options.SpeedBatchSize).Select(_ => new GenerationRequest(prompt, sampling)).ToArray();
        var batched = Time(generator, rows, cancellationToken);
        return new SpeedMeasurement(
            rows.Length * options.SpeedNewTokens / batched.TotalSeconds,
            single.TotalMilliseconds / options.SpeedNewTokens,
            rows.Length,
            prompt.Length,
            options.SpeedNewTokens,
            model.Device.ToString());
    }

    /// <summary>Deterministic prompt ids spread over the vocabulary (skipping the first ids, usually specials).</summary>
    internal static int[] SyntheticPrompt(int vocabSize, int length)
    {
        var first = Math.Min(3, vocabSize - 1);
        var span = Math.Max(1, vocabSize - first);
        return Enumerable.Range(0, length).Select(i => first + (int)((i * 7919L) % span)).ToArray();
    }

    private static TimeSpan Time(TokenGenerator generator, GenerationRequest[] requests, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        generator.Generate(requests, null, cancellationToken);
        return watch.Elapsed;
    }
}
