namespace LLMDistill.Training.Metrics;

/// <summary>
/// One line of <c>metrics.jsonl</c> (the contract in docs/architecture.md):
/// <c>{"step","split","loss","parts":{..},"lr","temperature","alpha","tokens_per_second","elapsed_seconds","grad_norm"}</c>.
/// </summary>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Split"><c>train</c> or <c>eval</c>.</param>
/// <param name="Loss">The objective (train: of the step's micro-batches; eval: over the held-out rows).</param>
/// <param name="Parts">Unweighted loss parts (ce, forward_kl, ..., hidden_mse; eval adds kl = KL(teacher ‖ student) at τ = 1, perplexity).</param>
/// <param name="LearningRate">Learning rate of the step.</param>
/// <param name="Temperature">Distillation temperature of the step.</param>
/// <param name="Alpha">Hinton's α (the weight of the hard-label CE) when an α schedule is set, else null.</param>
/// <param name="GradNorm">Global gradient norm before clipping (train only).</param>
/// <param name="TokensPerSecond">Training throughput since the previous train line (real tokens, not padding).</param>
/// <param name="ElapsedSeconds">Training wall time so far (continues across resumes).</param>
public sealed record TrainingMetrics(
    long Step,
    string Split,
    double Loss,
    IReadOnlyDictionary<string, double> Parts,
    double LearningRate,
    double Temperature,
    double? Alpha,
    double? GradNorm,
    double TokensPerSecond,
    double ElapsedSeconds)
{
    /// <summary>Split name of training lines.</summary>
    public const string TrainSplit = "train";

    /// <summary>Split name of held-out evaluation lines.</summary>
    public const string EvalSplit = "eval";
}
