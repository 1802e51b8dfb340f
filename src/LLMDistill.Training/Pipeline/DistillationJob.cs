using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LLMDistill.Data;
using LLMDistill.Evaluation;
using LLMDistill.Evaluation.Report;
using LLMDistill.Generation;
using LLMDistill.Teachers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Pipeline;

/// <summary>
/// The end-to-end job of <c>llmdistill run</c>, in one run directory: generate the dataset (<c>dataset/</c>), split it
/// (<c>splits/</c>: held-out, training and comparison subsets), train every student variant (<c>students/&lt;variant&gt;/</c>)
/// and evaluate them side by side on the held-out data (<c>eval/</c>: metrics.json, report.md, report.html). Each
/// stage's configuration hash (its own options plus the hashes upstream) goes into the <see cref="StageLedger"/> when it
/// completes: a stage complete for the same hash is skipped, a changed setting re-runs its stage and everything after
/// it, and an interrupted stage resumes (generation and training continue where they stopped).
/// </summary>
public sealed partial class DistillationJob
{
    /// <summary>Folder names inside the run directory.</summary>
    public const string DatasetFolder = "dataset", SplitsFolder = "splits", StudentsFolder = "students", EvalFolder = "eval";

    private const string SplitsFile = "splits.json";
    private static readonly JsonSerializerOptions SplitsJson = new() { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private readonly JobSettings _settings;
    private readonly ITeacherFactory _teachers;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Stopwatch _clock = new();
    private IProgress<JobProgress>? _progress;
    private int _stage;
    private int _stages;

    /// <summary>Creates the job.</summary>
    /// <param name="settings">Validated settings (see <see cref="JobSettings"/>).</param>
    /// <param name="teachers">The teachers of generation (and of API-teacher evaluation and the judge).</param>
    /// <param name="loggerFactory">Logging of every stage; null for none.</param>
    public DistillationJob(JobSettings settings, ITeacherFactory teachers, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(teachers);
        _settings = settings;
        _teachers = teachers;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>The student variants this job trains, in order.</summary>
    public IReadOnlyList<StudentVariant> Variants => StudentVariant.Plan(_settings.Run);

    /// <summary>Runs every stage that is not complete for the current configuration.</summary>
    /// <param name="restart">Forget the ledger and start every stage over (generation discards its output too).</param>
    /// <param name="progress">Receives stage starts, skips, completions and each stage's own progress; may be null.</param>
    /// <param name="cancellationToken">Stops the running stage gracefully (generation flushes, training checkpoints); completed stages stay complete.</param>
    /// <returns>Paths, the comparison and what every stage did.</returns>
    /// <exception cref="OperationCanceledException">Cancelled; what was written is kept and the next run resumes.</exception>
    public async Task<JobResult> RunAsync(bool restart, IProgress<JobProgress>? progress, CancellationToken cancellationToken)
    {
        _clock.Restart();
        _progress = progress;
        _stage = 0;
        var run = _settings.RunDirectory;
        var ledger = StageLedger.Open(run);
        if (restart)
        {
            ledger.Clear();
            foreach (var folder in new[] { DatasetFolder + ".next", SplitsFolder, StudentsFolder, EvalFolder })
            {
                DeleteDirectory(Path.Combine(run, folder));
            }
        }

        var variants = Variants;
        _stages = 3 + variants.Count;
        var outcomes = new List<StageOutcome>();
        var datasetDirectory = Path.Combine(run, DatasetFolder);
        var generateHash = await GenerationPipeline.ComputeConfigHashAsync(_settings.Generate, _settings.BaseDirectory, _settings.TeacherIdentities, cancellationToken);
        outcomes.Add(await StageAsync(
            ledger, "generate", generateHash, () => DatasetIsCurrent(datasetDirectory, generateHash), changed => GenerateAsync(datasetDirectory, generateHash, restart, changed, cancellationToken)));

        var splitsDirectory = Path.Combine(run, SplitsFolder);
        var splitHash = JobHashes.Split(generateHash, _settings.Run);
        DatasetSplits? splits = null;
        outcomes.Add(await StageAsync(
            ledger, "split", splitHash, () => (splits = ReadSplits(splitsDirectory)) is not null, async _ =>
            {
                splits = await DatasetSplitter.SplitAsync(datasetDirectory, splitsDirectory, _settings.Run, cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(splitsDirectory, SplitsFile), JsonSerializer.Serialize(splits, SplitsJson), cancellationToken);
                return string.Join(", ", splits.All.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Samples}")));
            }));

        var students = new List<KeyValuePair<string, string>>();
        var trainHashes = new List<string>();
        foreach (var variant in variants)
        {
            var options = TrainOptionsFor(variant, splits!);
            var hash = JobHashes.Train(splitHash, variant, options);
            var studentDirectory = Path.Combine(options.OutputDirectory, "student");
            outcomes.Add(await StageAsync(
                ledger, $"train {variant.Name}", hash, () => File.Exists(Path.Combine(studentDirectory, "config.json")), changed => TrainAsync(variant, options, changed, cancellationToken)));
            students.Add(new(variant.Name, studentDirectory));
            trainHashes.Add(hash);
        }

        var evalDirectory = Path.Combine(run, EvalFolder);
        var evalHash = JobHashes.Evaluate(trainHashes, _settings.Evaluation, _settings.Teacher, _settings.Run.TieTolerance);
        ReportFiles? files = null;
        EvaluationReport? report = null;
        outcomes.Add(await StageAsync(
            ledger, "eval", evalHash, () => (files = ExistingReport(evalDirectory)) is not null, async _ =>
            {
                (report, files) = await EvaluateAsync(variants, students, splits!, evalDirectory, cancellationToken);
                return $"report {files.Markdown}";
            }));

        report ??= await MetricsJson.ReadAsync(files!.Metrics, cancellationToken);
        var proof = report.Comparisons?.FirstOrDefault(c => c.Title == DistillationProof.Title);
        var findings = proof is null ? [] : DistillationProof.Build(report, variants, splits!, TeacherName, _settings.Run.TieTolerance).Findings;
        var samples = DatasetDirectory.TryReadManifest(datasetDirectory)?.Counts.GetValueOrDefault("kept") ?? 0;
        return new JobResult(run, datasetDirectory, samples, splits!, students, files!, proof, findings, outcomes, _clock.Elapsed);
    }

    /// <summary>The teacher's name in the evaluation: its model name when local, else its configured name.</summary>
    private string TeacherName => _settings.Teacher.IsLocal ? _settings.Teacher.Model : _settings.Teacher.Name;

    private async Task<StageOutcome> StageAsync(StageLedger ledger, string name, string hash, Func<bool> outputIsComplete, Func<bool, Task<string>> body)
    {
        _stage++;
        if (ledger.IsComplete(name, hash) && outputIsComplete())
        {
            Report(name, JobProgressKind.Skipped, $"complete for this configuration ({hash})");
            return new StageOutcome(name, hash, Skipped: true, TimeSpan.Zero);
        }

        var changed = ledger.Find(name) is { } record && record.ConfigHash != hash;
        Report(name, JobProgressKind.Started, changed ? "configuration changed since it last completed: running it again" : null);
        var watch = Stopwatch.StartNew();
        var summary = await body(changed);
        ledger.MarkComplete(name, hash, watch.Elapsed);
        Report(name, JobProgressKind.Completed, summary);
        return new StageOutcome(name, hash, Skipped: false, watch.Elapsed);
    }

    private void Report(string name, JobProgressKind kind, string? message = null, GenerationProgress? generation = null, Training.TrainingProgress? training = null, EvaluationProgress? evaluation = null)
        => _progress?.Report(new JobProgress(_stage, _stages, name, kind, _clock.Elapsed, message, generation, training, evaluation));

    private static bool DatasetIsCurrent(string directory, string hash)
        => DatasetDirectory.TryReadManifest(directory) is { Complete: true } manifest && manifest.ConfigHash == hash;

    private static DatasetSplits? ReadSplits(string directory)
    {
        var file = Path.Combine(directory, SplitsFile);
        var splits = File.Exists(file) ? JsonSerializer.Deserialize<DatasetSplits>(File.ReadAllText(file), SplitsJson) : null;
        return splits is not null && splits.All.All(s => Directory.Exists(s.Directory)) ? splits : null;
    }

    private static ReportFiles? ExistingReport(string directory)
    {
        var files = new ReportFiles(Path.Combine(directory, "metrics.json"), Path.Combine(directory, "report.md"), Path.Combine(directory, "report.html"));
        return File.Exists(files.Metrics) && File.Exists(files.Markdown) && File.Exists(files.Html) ? files : null;
    }

    private static void DeleteDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
