using LLMDistill.Losses;
using LLMDistill.Model;
using LLMDistill.Training.Data;
using LLMDistill.Training.Options;
using static TorchSharp.torch;

namespace LLMDistill.Training.Distillation;

/// <summary>
/// The loss of a micro-batch: the student's forward pass (hidden states only; logits are made chunk by chunk inside
/// the loss), the teacher's targets (a local teacher's forward pass under no_grad on the same rows, masks and
/// positions; stored top-k; or none), the chunked token-level objective over target positions, and the optional
/// hidden-state term. Runs inside the caller's dispose scope.
/// </summary>
internal sealed class DistillationLossComputer(
    LlamaForCausalLM student,
    LlamaForCausalLM? teacher,
    TargetSource targets,
    HiddenStateDistiller? hidden,
    double hiddenWeight,
    int chunkSize)
{
    /// <summary>Computes one objective.</summary>
    public StepLoss Compute(BatchTensors batch, DistillationObjective? objective) => Compute(batch, [objective])[0];

    /// <summary>Computes several objectives on one forward pass of each model (evaluation reports more than the training loss).</summary>
    public IReadOnlyList<StepLoss> Compute(BatchTensors batch, IReadOnlyList<DistillationObjective?> objectives)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(objectives);
        var wantHidden = hidden is not null;
        var input = new CausalLmInput(batch.InputIds, batch.PositionIds, batch.AttentionMask, ComputeLogits: false, OutputHiddenStates: wantHidden);
        var studentOut = student.forward(input);
        CausalLmOutput? teacherOut = null;
        var wantTargets = targets == TargetSource.Local && objectives.Any(o => o is not null && o.Terms.Any(t => t.Weight > 0 && t.Kind != DistillationLossKind.CrossEntropy));
        if (teacher is not null && (wantTargets || wantHidden))
        {
            using var noGrad = no_grad();
            teacherOut = teacher.forward(input);
        }

        var counted = batch.Labels.ne(DistillationLosses.IgnoreIndex);                     // (B, T)
        var rows = DistillationLosses.SelectRows(studentOut.LastHiddenState, counted);     // (N, C)
        var labels = DistillationLosses.SelectRows(batch.Labels, counted);                 // (N)
        var teacherTargets = Targets(batch, counted, teacherOut, rows.shape[0]);
        Tensor? hiddenLoss = null;
        if (hidden is not null)
        {
            hiddenLoss = hidden.Loss(studentOut.HiddenStates!, teacherOut!.HiddenStates!, batch.Valid);
        }

        var results = new List<StepLoss>(objectives.Count);
        foreach (var objective in objectives)
        {
            var parts = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            Tensor total;
            if (objective is null)
            {
                total = zeros([], ScalarType.Float32, batch.InputIds.device);
            }
            else
            {
                var result = ChunkedDistillationLoss.Compute(rows, student.LmHead, teacherTargets, objective, labels, chunkSize);
                total = result.Total;
                foreach (var (kind, value) in result.Parts)
                {
                    parts[ObjectiveSchedule.PartName(kind)] = value;
                }

                if (result.FallbackCrossEntropy is { } fallback)
                {
                    parts["fallback_ce"] = fallback;
                }

                if (result.ConfidentFraction is { } confident)
                {
                    parts["confident_fraction"] = confident;
                }
            }

            if (hiddenLoss is not null)
            {
                total = total + (hiddenLoss * hiddenWeight);
                parts["hidden_mse"] = hiddenLoss.detach();
            }

            results.Add(new StepLoss(total, parts, rows.shape[0]));
        }

        return results;
    }

    private TeacherTargets Targets(BatchTensors batch, Tensor counted, CausalLmOutput? teacherOut, long rows)
    {
        switch (targets)
        {
            case TargetSource.Local when teacherOut is not null:
                var teacherRows = DistillationLosses.SelectRows(teacherOut!.LastHiddenState, counted); // (N, Ct)
                return TeacherTargets.FromHidden(teacherRows, teacher!.LmHead);
            case TargetSource.Stored when batch.TopIds is not null:
                return TeacherTargets.FromTopK(
                    DistillationLosses.SelectRows(batch.TopIds, counted),                               // (N, K)
                    DistillationLosses.SelectRows(batch.TopLogprobs!, counted),
                    DistillationLosses.SelectRows(batch.TopMask!, counted));
            default:
                // Cross-entropy reads no teacher (sequence-level KD skips the teacher's forward pass); an empty sparse
                // target only satisfies the shape checks.
                var device = batch.InputIds.device;
                return TeacherTargets.FromTopK(zeros([rows, 1], ScalarType.Int64, device), zeros([rows, 1], ScalarType.Float32, device), zeros([rows, 1], ScalarType.Bool, device));
        }
    }
}
