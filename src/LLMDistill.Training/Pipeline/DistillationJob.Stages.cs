using System.Globalization;
using LLMDistill.Data;
using LLMDistill.Evaluation;
using LLMDistill.Evaluation.Report;
using LLMDistill.Generation;
using LLMDistill.Training;
using LLMDistill.Training.Options;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Pipeline;

/// <summary>The stage bodies of <see cref="DistillationJob"/>.</summary>
public sealed partial class DistillationJob
{
    /// <summary>
    /// Generates (or resumes) the dataset. After a configuration change the new dataset is written beside the old one
    /// and replaces it only when complete, so a failing teacher cannot cost the run its finished dataset.
    /// </summary>
    private async Task<string> GenerateAsync(string directory, string hash, bool restart, bool changed, CancellationToken cancellationToken)
    {
        var next = directory + ".next";
        var target = changed && !restart ? next : directory;
        var options = _settings.Generate;
        options.OutputDirectory = target;

        // A leftover of another abandoned configuration in the side folder is started over; one of this configuration resumes.
        restart |= target == next && DatasetDirectory.TryReadManifest(next) is { } leftover && leftover.ConfigHash != hash;
        var pipeline = new GenerationPipeline(options, _teachers, _loggerFactory.CreateLogger<GenerationPipeline>(), _settings.TeacherIdentities);
        var run = pipeline.RunAsync(_settings.BaseDirectory, restart, cancellationToken);
        var interval = TimeSpan.FromSeconds(options.Pipeline.ProgressIntervalSeconds);

        // The pipeline publishes snapshots; poll them while it runs (no token on the delay: the run itself ends on cancel).
        while (await Task.WhenAny(run, Task.Delay(interval, CancellationToken.None)) != run)
        {
            if (pipeline.Progress() is { } snapshot)
            {
                Report("generate", JobProgressKind.Progress, generation: snapshot);
            }
        }

        var result = await run;
        if (target == next)
        {
            DeleteDirectory(directory);
            Directory.Move(next, directory);
        }

        var manifest = result.Manifest;
        var reasons = string.Join(", ", manifest.Rejections.OrderByDescending(r => r.Value).Select(r => $"{r.Key}={r.Value}"));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{manifest.Counts.GetValueOrDefault("kept")} samples, {manifest.Counts.GetValueOrDefault("rejected")} rejected{(reasons.Length > 0 ? $" ({reasons})" : string.Empty)}");
    }

    /// <summary>The run's <c>Train</c> options made into this variant's: its folder, its subset, the held-out data, the run's teacher.</summary>
    private TrainOptions TrainOptionsFor(StudentVariant variant, DatasetSplits splits)
    {
        var options = _settings.Train();
        options.OutputDirectory = Path.Combine(_settings.RunDirectory, StudentsFolder, variant.Name);
        options.Data.Path = splits.All.First(s => s.Name == variant.Subset).Directory;
        options.Data.EvalPath = splits.HeldOut.Directory;
        options.Data.Format = DataFormat.Dataset;
        if (string.IsNullOrWhiteSpace(options.Teacher) && _settings.Teacher.Directory is { } teacher)
        {
            options.Teacher = teacher;
        }

        variant.Apply(options);
        TrainOptionsReader.Validate(options);
        return options;
    }

    private async Task<string> TrainAsync(StudentVariant variant, TrainOptions options, bool changed, CancellationToken cancellationToken)
    {
        if (changed)
        {
            DeleteDirectory(options.OutputDirectory); // its checkpoints belong to the old configuration
        }

        var name = $"train {variant.Name}";
        var service = new TrainingService(_loggerFactory.CreateLogger<TrainingService>());
        var progress = new RelayProgress<TrainingProgress>(p => Report(name, JobProgressKind.Progress, training: p));
        TrainingResult result;
        try
        {
            result = await service.RunAsync(new TrainingRequest(options, Resume: "auto", _settings.ChatTemplate), progress, cancellationToken);
        }
        catch (InvalidDataException ex) when (Directory.Exists(Path.Combine(options.OutputDirectory, "checkpoints")))
        {
            throw new InvalidDataException($"{ex.Message} (student '{variant.Name}': delete '{options.OutputDirectory}' to train it from scratch)", ex);
        }

        // KL needs the teacher's distributions; a CE-only student's evaluation has its cross-entropy instead.
        var parts = result.LastEval?.Parts;
        var heldOut = parts is null ? string.Empty
            : parts.TryGetValue("kl", out var kl) ? string.Create(CultureInfo.InvariantCulture, $", held-out KL {kl:F4}")
            : parts.TryGetValue("ce", out var ce) ? string.Create(CultureInfo.InvariantCulture, $", held-out CE {ce:F4}")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{result.Steps} steps, {result.TokensSeen:N0} tokens, {result.ElapsedSeconds:F0} s{heldOut}: {result.StudentDirectory}");
    }

    private async Task<(EvaluationReport Report, ReportFiles Files)> EvaluateAsync(
        IReadOnlyList<StudentVariant> variants, IReadOnlyList<KeyValuePair<string, string>> students, DatasetSplits splits, string directory, CancellationToken cancellationToken)
    {
        var teacher = _settings.Teacher.Directory is { } local ? ModelSpec.Local(TeacherName, local) : ModelSpec.Api(_settings.Teacher.Name);
        var request = new EvaluationRequest(
            students.Select(s => ModelSpec.Local(s.Key, s.Value)).ToArray(),
            [teacher],
            splits.HeldOut.Directory,
            OutputDirectory: null,
            TrainingMetrics: Path.Combine(_settings.RunDirectory, StudentsFolder, variants[0].Name, "metrics.jsonl"),
            Title: $"{_settings.Evaluation.Report.Title}: {Path.GetFileName(_settings.RunDirectory)}");
        var evaluator = new ModelEvaluator(_settings.Evaluation, _teachers, _loggerFactory);
        var progress = new RelayProgress<EvaluationProgress>(p => Report("eval", JobProgressKind.Progress, evaluation: p));
        var result = await evaluator.EvaluateAsync(request, progress, cancellationToken);
        var report = result.Report;
        if (variants.Count > 1)
        {
            var (table, subsets, findings) = DistillationProof.Build(report, variants, splits, TeacherName, _settings.Run.TieTolerance);
            var caption = $"{table.Caption} Findings: {string.Join("; ", findings)}.";
            report = report with
            {
                Comparisons = [table with { Caption = caption }, subsets, .. report.Comparisons ?? []],
                Notes = [.. findings.Select(f => "Finding: " + f), .. report.Notes ?? []],
            };
        }

        var files = await ReportWriter.WriteAsync(report, directory, _settings.Evaluation.Report, cancellationToken);
        return (report, files);
    }
}
