using System.Globalization;
using LLMDistill.Evaluation.Datasets;
using LLMDistill.Evaluation.Judge;
using LLMDistill.Evaluation.Report;
using LLMDistill.Evaluation.Speed;
using LLMDistill.Evaluation.TextMetrics;
using LLMDistill.Teachers;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Evaluation;

/// <summary>The stages after the token-level pass: generation, judge, speed and size, training curves.</summary>
public sealed partial class ModelEvaluator
{
    private sealed record SequenceOutcome(
        IReadOnlyList<SequenceMetrics> Metrics, IReadOnlyList<EvalSample> Samples, IReadOnlyDictionary<string, AnswerSet> Students, AnswerSet? Primary);

    private async Task<SequenceOutcome?> SequenceLevelAsync(
        List<EvaluatedModel> locals, IReadOnlyList<ITeacherClient> apiTeachers, EvalData data, List<string> notes, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        var eval = _settings.Eval;
        if (!eval.Generation)
        {
            notes.Add("Generation metrics were skipped (Eval:Generation = false).");
            return null;
        }

        var samples = data.Samples.Take(eval.MaxGenerationSamples).ToArray();
        var students = new Dictionary<string, AnswerSet>(StringComparer.Ordinal);
        foreach (var student in locals.Where(m => m.Role == "student"))
        {
            students[student.Name] = await StageAsync($"generate {student.Name}", progress, report =>
                OnTorchThreadAsync(() => LocalGeneration.Generate(student, samples, _settings, report, cancellationToken)));
        }

        // The data's own answers, named after the teacher that wrote them (or after the data when unknown).
        var teachers = locals.Where(m => m.Role == "teacher").Select(m => m.Name).Concat(apiTeachers.Select(t => t.Name)).ToArray();
        AnswerSet? dataAnswers = null;
        if (samples.All(s => s.Reference is not null))
        {
            var name = data.Kind == EvalDataKind.Text ? "text" : data.ReferenceTeacher ?? "dataset";
            dataAnswers = new AnswerSet(name, samples.Select(s => s.Reference!).ToArray(), null);
        }

        var useTeachers = eval.References == ReferenceSource.Teachers
            || (eval.References == ReferenceSource.Auto && (dataAnswers is null || data.Kind == EvalDataKind.Text) && teachers.Length > 0);
        var references = new List<AnswerSet>();
        if (useTeachers)
        {
            foreach (var teacher in locals.Where(m => m.Role == "teacher"))
            {
                references.Add(await StageAsync($"generate {teacher.Name}", progress, report =>
                    OnTorchThreadAsync(() => LocalGeneration.Generate(teacher, samples, _settings, report, cancellationToken))));
            }

            foreach (var teacher in apiTeachers)
            {
                (AnswerSet? answers, string? note) = await StageAsync($"ask {teacher.Name}", progress, report => ApiAnswers.AskAsync(teacher, samples, eval, report, cancellationToken));
                if (answers is not null)
                {
                    references.Add(answers);
                }
                else
                {
                    notes.Add(note!);
                }
            }
        }

        AnswerSet? yardstick = null;
        if (dataAnswers is not null && eval.References != ReferenceSource.Teachers)
        {
            // A dataset teacher named like a fresh-answering teacher would be ambiguous in the report.
            yardstick = references.Any(r => r.Name == dataAnswers.Name) ? dataAnswers with { Name = "dataset" } : dataAnswers;
            references.Add(yardstick);
        }
        else if (eval.References == ReferenceSource.Dataset)
        {
            notes.Add("Generation metrics: Eval:References = Dataset but the data has no reference answers.");
        }

        if (references.Count == 0)
        {
            notes.Add("Generation metrics were skipped: no reference answers (no teacher answered and the data has none).");
        }

        var metrics = new List<SequenceMetrics>();
        foreach (var (name, answers) in students)
        {
            metrics.AddRange(references.Select(r => SequenceMetrics.Compute(name, r.Name, answers.Texts, r.Texts, answers.TokenCounts, r.TokenCounts)));
        }

        // Teachers against the data's answers: what a strong model scores on the same references.
        if (yardstick is not null)
        {
            foreach (var teacher in references.Where(r => r != yardstick))
            {
                metrics.Add(SequenceMetrics.Compute(teacher.Name, yardstick.Name, teacher.Texts, yardstick.Texts, teacher.TokenCounts, yardstick.TokenCounts));
            }
        }

        return new SequenceOutcome(metrics, samples, students, references.FirstOrDefault());
    }

    private async Task<IReadOnlyList<JudgeSummary>?> JudgeAsync(EvaluationRequest request, SequenceOutcome sequence, List<string> notes, CancellationToken cancellationToken)
    {
        var options = _settings.Judge;
        if (string.IsNullOrWhiteSpace(options.Teacher))
        {
            notes.Add($"Teacher as judge was skipped: set {JudgeOptions.SectionName}:Teacher to the name of a configured teacher to run it.");
            return null;
        }

        if (_teachers is null)
        {
            throw new InvalidOperationException($"{JudgeOptions.SectionName}:Teacher names '{options.Teacher}' but no Teachers configuration is available");
        }

        if (sequence.Primary is not { } reference)
        {
            notes.Add("Teacher as judge was skipped: there are no reference answers to compare with.");
            return null;
        }

        var template = await JudgePromptTemplate.LoadAsync(options.TemplatePath, cancellationToken);
        var judge = new PairwiseJudge(await _teachers.GetAsync(options.Teacher, cancellationToken), template, options, _loggerFactory.CreateLogger<PairwiseJudge>());
        var summaries = new List<JudgeSummary>();
        foreach (var student in request.Students)
        {
            var answers = sequence.Students[student.Name];
            var pairs = sequence.Samples.Select((s, i) => new JudgePair(s.Id, JudgeTask(s), answers.Texts[i], reference.Texts[i])).ToArray();
            summaries.Add(await judge.JudgeAsync(student.Name, reference.Name, pairs, cancellationToken));
        }

        return summaries;
    }

    private static string JudgeTask(EvalSample sample)
        => sample.Mode == TeacherMode.Chat ? sample.UserMessage : "Continue the following text.\n\n" + sample.Instruction;

    private async Task<IReadOnlyList<EfficiencyMetrics>> EfficiencyAsync(List<EvaluatedModel> locals, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        if (!_settings.Eval.Speed)
        {
            return locals.Select(m => new EfficiencyMetrics(m.Name, m.Role, m.Parameters, m.BytesOnDisk, Device: m.Model.Device.ToString())).ToArray();
        }

        return await StageAsync("speed", progress, report => OnTorchThreadAsync(() =>
        {
            var result = new List<EfficiencyMetrics>();
            foreach (var model in locals)
            {
                var speed = SpeedBenchmark.Measure(model.Model, _settings.Eval, cancellationToken);
                result.Add(new EfficiencyMetrics(model.Name, model.Role, model.Parameters, model.BytesOnDisk, speed.TokensPerSecond, speed.LatencyPerTokenMs, speed.Device));
                report(result.Count, locals.Count);
            }

            return (IReadOnlyList<EfficiencyMetrics>)result;
        }));
    }

    /// <summary>The trainer's metrics.jsonl: the given file (errors are errors), else one found beside the first student (errors become a note).</summary>
    private static async Task<IReadOnlyList<TrainingMetricsRecord>?> TrainingCurvesAsync(EvaluationRequest request, List<string> notes, CancellationToken cancellationToken)
    {
        if (request.TrainingMetrics is { } explicitPath)
        {
            return await TrainingMetricsReader.ReadAsync(explicitPath, cancellationToken);
        }

        var directory = Path.GetFullPath(request.Students[0].Directory!);
        var candidates = new[] { Path.Combine(directory, "metrics.jsonl"), Path.Combine(Path.GetDirectoryName(directory) ?? directory, "metrics.jsonl") };
        if (candidates.FirstOrDefault(File.Exists) is not { } found)
        {
            return null;
        }

        try
        {
            return await TrainingMetricsReader.ReadAsync(found, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Training curves skipped: {ex.Message}"));
            return null;
        }
    }
}
