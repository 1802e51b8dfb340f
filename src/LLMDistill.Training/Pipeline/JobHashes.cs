using System.Text.Json;
using System.Text.Json.Nodes;
using LLMDistill.Evaluation;
using LLMDistill.Training.Options;

namespace LLMDistill.Pipeline;

/// <summary>
/// The configuration hash of each stage of the job: its own options that change its output, plus the hashes of the
/// stages it reads from, so a changed setting re-runs its stage and every stage downstream of it, and nothing else.
/// </summary>
internal static class JobHashes
{
    // Keys of Train that change how a run is logged or saved, not the student it produces.
    private static readonly string[] TrainKeysWithoutEffect = [nameof(TrainOptions.OutputDirectory), nameof(TrainOptions.LogEvery), nameof(TrainOptions.CheckpointEvery), nameof(TrainOptions.KeepCheckpoints), nameof(TrainOptions.CheckpointOnCancel)];

    private static readonly JsonSerializerOptions Json = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    // Only the diverse selections read Run:Diversity: the other signals keep their hash (and completed splits) when it changes.
    public static string Split(string generateHash, RunOptions run)
        => run.SelectBy.IsDiverse()
            ? StageLedger.HashOf("split", generateHash, run.HeldOutFraction, run.Compare, run.SubsetFraction, run.SelectBy.ToString(), run.Seed, JsonSerializer.Serialize(run.Diversity, Json))
            : StageLedger.HashOf("split", generateHash, run.HeldOutFraction, run.Compare, run.SubsetFraction, run.SelectBy.ToString(), run.Seed);

    public static string Train(string splitHash, StudentVariant variant, TrainOptions options)
    {
        var node = JsonSerializer.SerializeToNode(options, Json)!.AsObject();
        foreach (var key in TrainKeysWithoutEffect)
        {
            node.Remove(key);
        }

        return StageLedger.HashOf("train", splitHash, variant, node.ToJsonString());
    }

    public static string Evaluate(IEnumerable<string> trainHashes, EvaluationSettings settings, JobTeacher teacher, double tieTolerance)
        => StageLedger.HashOf("eval", trainHashes.ToArray(), JsonSerializer.Serialize(settings, Json), teacher, tieTolerance);
}
