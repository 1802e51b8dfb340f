using LLMDistill.Losses;
using LLMDistill.Model;
using LLMDistill.Training.Data;
using LLMDistill.Training.Options;
using static TorchSharp.torch;

namespace LLMDistill.Training.Distillation;

/// <summary>
/// Held-out evaluation: the training objective at the current τ/α plus reference numbers that do not depend on the
/// schedules: <c>ce</c> (NLL of the labels), <c>perplexity</c> = exp(ce), and <c>kl</c> = KL(teacher ‖ student) at
/// τ = 1 (full distributions with a local teacher; over the stored top-k, renormalised, with stored targets).
/// The rows are fixed (packed in order), so evaluations at different steps compare the same tokens.
/// </summary>
internal sealed class HeldOutEvaluator
{
    private readonly DistillationLossComputer _computer;
    private readonly LlamaForCausalLM _student;
    private readonly TrainingExample[][][] _batches;
    private readonly DistillationObjective _reference;
    private readonly int _padId;
    private readonly int _topKSlots;
    private readonly Device _device;
    private readonly DistillationLossKind? _klKind;

    public HeldOutEvaluator(
        DistillationLossComputer computer, LlamaForCausalLM student, IReadOnlyList<TrainingExample> examples, TrainOptions options, TargetSource targets, int padId, int topKSlots, Device device)
    {
        _computer = computer;
        _student = student;
        var rows = SequencePacker.Pack(examples, Enumerable.Range(0, examples.Count), options.SequenceLength, options.Batching).Take(options.EvalRows);
        _batches = rows.Chunk(options.BatchSize).ToArray();
        _klKind = targets switch
        {
            TargetSource.Local => DistillationLossKind.ForwardKl,
            TargetSource.Stored => DistillationLossKind.TopKKl,
            _ => null,
        };
        LossTerm[] terms = _klKind is { } kind ? [new(DistillationLossKind.CrossEntropy, 1), new(kind, 1)] : [new(DistillationLossKind.CrossEntropy, 1)];
        _reference = new DistillationObjective(terms) { Temperature = 1.0 };
        _padId = padId;
        _topKSlots = topKSlots;
        _device = device;
    }

    /// <summary>Whether there is anything to evaluate on.</summary>
    public bool HasData => _batches.Length > 0;

    /// <summary>Evaluates the student on the held-out rows.</summary>
    /// <param name="objective">The training objective at the current step (null: hidden states only).</param>
    /// <returns>The objective's mean over target positions, the parts, and the tokens evaluated.</returns>
    public (double Loss, Dictionary<string, double> Parts, long Tokens) Run(DistillationObjective? objective)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        double loss = 0;
        long count = 0, tokens = 0;
        _student.eval();
        try
        {
            using var noGrad = no_grad();
            foreach (var rows in _batches)
            {
                using var scope = NewDisposeScope();
                var batch = BatchBuilder.Build(rows, _padId, _topKSlots, _device);
                var results = _computer.Compute(batch, [objective, _reference]);
                var (trained, reference) = (results[0], results[1]);
                var n = reference.Targets;
                count += n;
                tokens += batch.Tokens;
                loss += trained.Total.item<float>() * n;
                foreach (var (name, value) in trained.Parts.Where(p => p.Key != "ce")) // CE has no temperature: the reference's is the same
                {
                    Add(sums, name, value.item<float>() * n);
                }

                Add(sums, "ce", reference.Parts["ce"].item<float>() * n);
                if (_klKind is { } kind)
                {
                    Add(sums, "kl", reference.Parts[ObjectiveSchedule.PartName(kind)].item<float>() * n);
                }
            }
        }
        finally
        {
            _student.train();
        }

        var mean = Math.Max(count, 1);
        var parts = sums.ToDictionary(p => p.Key, p => p.Value / mean, StringComparer.Ordinal);
        parts["perplexity"] = Math.Exp(parts["ce"]);
        return (loss / mean, parts, tokens);
    }

    private static void Add(Dictionary<string, double> sums, string name, double value) => sums[name] = sums.GetValueOrDefault(name) + value;
}
