namespace LLMDistill.Training.Checkpointing;

/// <summary>
/// <c>trainer_state.json</c> of a checkpoint: the versioned manifest that says where the run was (step, data position,
/// random state), how it was configured, and what wrote it. Written last, so its presence marks a complete checkpoint.
/// </summary>
/// <param name="FormatVersion">Checkpoint format (<see cref="CurrentFormatVersion"/>); other versions are refused.</param>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Epoch">Data position: epoch of the next micro-batch.</param>
/// <param name="Batch">Data position: index of the next micro-batch in that epoch.</param>
/// <param name="TokensSeen">Real tokens trained on so far.</param>
/// <param name="ElapsedSeconds">Training wall time so far (the clock continues from here on resume).</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="ComputeDtype">The student's compute dtype (the saved weights are the float32 masters).</param>
/// <param name="Teacher">The teacher directory, if any.</param>
/// <param name="Tokenizer">Where the tokenizer came from.</param>
/// <param name="Trajectory">Options an exact resume depends on (seed, batching, data, architecture), as text.</param>
/// <param name="ToolVersion">Version (and commit) of llmdistill that wrote it.</param>
/// <param name="SavedAt">When it was written.</param>
/// <param name="HiddenProjections">Whether <c>hidden_projections.safetensors</c> holds FitNets regressors.</param>
internal sealed record TrainerState(
    int FormatVersion,
    long Step,
    int Epoch,
    int Batch,
    long TokensSeen,
    double ElapsedSeconds,
    long Seed,
    string ComputeDtype,
    string? Teacher,
    string Tokenizer,
    IReadOnlyDictionary<string, string> Trajectory,
    string ToolVersion,
    DateTimeOffset SavedAt,
    bool HiddenProjections)
{
    /// <summary>The checkpoint format this build writes and reads.</summary>
    public const int CurrentFormatVersion = 1;
}
