using System.Globalization;
using LLMDistill.Model;
using LLMDistill.Training.Options;

namespace LLMDistill.Training;

/// <summary>The start-up summary of a run (logged once; the resolved options that matter to read a run's logs).</summary>
internal static class TrainingSummary
{
    public static string Describe(TrainingSession s)
    {
        var o = s.Options;
        var c = CultureInfo.InvariantCulture;
        var student = s.Master.Config;
        var parameters = s.Master.parameters().Sum(p => p.numel()) / 1e6;
        var teacher = s.Teacher is null ? "no local teacher" : string.Create(c, $"teacher '{o.Teacher}' ({s.Teacher.parameters().Sum(p => p.numel()) / 1e6:F2} M params, {ModelDtypes.Name(s.Teacher.Dtype)})");
        var loss = o.Loss;
        var terms = new (string Name, double Weight)[]
        {
            ("ce", loss.CrossEntropy), ("forward_kl", loss.ForwardKl), ("reverse_kl", loss.ReverseKl), ("jsd", loss.Jsd), ("topk_kl", loss.TopKKl), ("hidden_mse", o.HiddenStates.Weight),
        };
        var objective = string.Join(" + ", terms.Where(t => t.Weight > 0).Select(t => string.Create(c, $"{t.Weight:G4}·{t.Name}")));
        var schedules = string.Create(c, $"τ {loss.Temperature.Kind} {loss.Temperature.Bounds().Min:G3}..{loss.Temperature.Bounds().Max:G3}")
            + (loss.Alpha is { } alpha ? string.Create(c, $", α {alpha.Kind} {alpha.Bounds().Min:G3}..{alpha.Bounds().Max:G3}") : string.Empty)
            + (o.OnPolicy.Lambda > 0 ? string.Create(c, $", on-policy λ {o.OnPolicy.Lambda:G3}") : string.Empty);
        var st = s.Corpus.Stats;
        var topK = st.TopKAligned + st.TopKUnaligned > 0 ? string.Create(c, $", stored top-k {st.TopKAligned} aligned / {st.TopKUnaligned} unmapped") : string.Empty;
        return string.Create(
            c,
            $"student {student.NumHiddenLayers}x{student.HiddenSize} ({parameters:F2} M params, {ModelDtypes.Name(s.Compute.Dtype)} compute) on {s.Device}; {teacher}; "
            + $"targets {s.Targets}; data {st.Format} '{o.Data.Path}': {s.Corpus.Train.Count} train / {s.Corpus.Eval.Count} held-out examples, "
            + $"{st.TrainTokens} train tokens ({st.Truncated} truncated, {st.Dropped} dropped{topK}); rows of {o.SequenceLength} x {o.BatchSize} "
            + $"({o.Batching.ToString().ToLowerInvariant()}) x {o.GradientAccumulationSteps} accumulation; objective {objective} ({schedules}); "
            + $"AdamW lr {o.LearningRate.LearningRate:G3} ({o.LearningRate.Kind.ToString().ToLowerInvariant()}, warmup {o.LearningRate.WarmupSteps}); "
            + $"steps {s.StartStep} -> {o.Steps}; output '{o.OutputDirectory}'");
    }
}
