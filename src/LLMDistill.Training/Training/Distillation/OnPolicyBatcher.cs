using LLMDistill.Inference;
using LLMDistill.Model;
using LLMDistill.Training.Data;
using LLMDistill.Training.Options;

namespace LLMDistill.Training.Distillation;

/// <summary>
/// On-policy batches of GKD (Agarwal et al. 2024, "On-Policy Distillation of Language Models"): the student continues
/// each sample's prompt with batched generation, and the sample becomes prompt + the student's tokens, on which the
/// local teacher then supplies targets. Seeds come from (run seed, step, micro-batch, row), so a resumed run
/// generates the same tokens.
/// </summary>
internal sealed class OnPolicyBatcher
{
    private readonly OnPolicyOptions _options;
    private readonly TokenGenerator _generator;
    private readonly int _rowLength;
    private readonly long _seed;

    public OnPolicyBatcher(LlamaForCausalLM student, OnPolicyOptions options, IReadOnlyList<int> stopTokenIds, int rowLength, int maxBatchSize, long seed)
    {
        _options = options;
        _generator = new TokenGenerator(student, stopTokenIds, maxBatchSize);
        _rowLength = rowLength;
        _seed = seed;
    }

    /// <summary>Whether micro-batch <paramref name="micro"/> of step <paramref name="step"/> is on-policy (probability λ).</summary>
    public bool IsOnPolicy(long step, int micro) => _options.Lambda > 0 && StableHash.Uniform(_seed, step, micro, 0x6B64) < _options.Lambda;

    /// <summary>Replaces every example's response by the student's continuation of its prompt.</summary>
    public List<TrainingExample> Generate(IReadOnlyList<TrainingExample> examples, long step, int micro, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var prompts = examples.Select(e => e.Ids[..PromptLength(e)]).ToArray();
        var requests = prompts.Select((p, i) => new GenerationRequest(
            p,
            new DecodingParameters(
                MaxNewTokens: Math.Min(_options.MaxNewTokens, _rowLength - p.Length),
                Temperature: _options.Temperature,
                TopP: _options.TopP,
                Seed: (long)(StableHash.Combine(_seed, step, micro, i) >> 1)))).ToArray();
        var results = _generator.Generate(requests, onStep: null, cancellationToken);
        return results.Select((r, i) => new TrainingExample([.. prompts[i], .. r.TokenIds], prompts[i].Length)).ToList();
    }

    private int PromptLength(TrainingExample example)
        => example.PromptLength >= 1 ? Math.Min(example.PromptLength, _rowLength - 1) : Math.Min(_options.PromptTokens, example.Length - 1);
}
