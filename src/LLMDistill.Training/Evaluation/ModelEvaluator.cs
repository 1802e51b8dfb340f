using System.Diagnostics;
using LLMDistill.Evaluation.Datasets;
using LLMDistill.Evaluation.Report;
using LLMDistill.Inference;
using LLMDistill.Teachers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Evaluation;

/// <summary>
/// The evaluation service behind <c>llmdistill eval</c> and the end-to-end job: evaluates one student, or several
/// student variants side by side, against local and API teachers on held-out data, and writes metrics.json, report.md
/// and report.html. Token level (teacher-forced: agreement, KL, JSD, perplexity, calibration) needs local models that
/// share a tokenizer; sequence level (greedy generation: exact match, ROUGE-L, BLEU, chrF, diversity) and the judge
/// work with any teacher; size and speed are measured for every local model on the same device.
/// </summary>
public sealed partial class ModelEvaluator
{
    private readonly EvaluationSettings _settings;
    private readonly ITeacherFactory? _teachers;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates an evaluator.</summary>
    /// <param name="settings">The bound settings (<see cref="EvaluationSettings.Bind"/>).</param>
    /// <param name="teachers">Resolves API teachers and the judge by name; null when only local models are used.</param>
    /// <param name="loggerFactory">Logging; null for none.</param>
    /// <param name="timeProvider">The clock of the report's timestamp; null for the system clock.</param>
    public ModelEvaluator(EvaluationSettings settings, ITeacherFactory? teachers = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _teachers = teachers;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<ModelEvaluator>();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Evaluates the students of <paramref name="request"/> and writes the report when an output directory is given.</summary>
    /// <param name="request">Students, teachers, data and output.</param>
    /// <param name="progress">Receives stage progress; null for none.</param>
    /// <param name="cancellationToken">Cancels between batches and requests.</param>
    /// <returns>The report, the files written and the variant comparison.</returns>
    /// <exception cref="ArgumentException">No student, repeated names, or a student that is not a local model.</exception>
    /// <exception cref="DirectoryNotFoundException">A model directory does not exist.</exception>
    /// <exception cref="InvalidDataException">Malformed data or model files; the message names the file (and line).</exception>
    /// <exception cref="InvalidOperationException">An API teacher or judge is named but no teacher factory was given.</exception>
    public async Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        Validate(request);
        var watch = Stopwatch.StartNew();
        var notes = new List<string>();
        var data = request.Data is null ? null : await EvalDataLoader.LoadAsync(request.Data, _settings.Eval, cancellationToken);
        var apiTeachers = await ResolveApiTeachersAsync(request, cancellationToken);
        var device = _settings.Inference.ResolveDevice();
        var dtype = _settings.Inference.ResolveDtype();
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var students = string.Join(", ", request.Students.Select(s => s.Name));
            var teachers = request.Teachers.Count == 0 ? "(none)" : string.Join(", ", request.Teachers.Select(t => t.Name));
            var kind = data?.Kind.ToString() ?? "-";
            var where = device.ToString();
            EvalLog.Started(_logger, data?.Samples.Count ?? 0, data?.Path ?? "(none)", kind, students, teachers, where);
        }

        var locals = new List<EvaluatedModel>();
        try
        {
            await StageAsync("load", progress, report => OnTorchThreadAsync(() =>
            {
                var specs = request.Students.Select(s => (s, "student")).Concat(request.Teachers.Where(t => t.IsLocal).Select(t => (t, "teacher"))).ToArray();
                foreach (var (spec, role) in specs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    locals.Add(EvaluatedModel.Load(spec, role, device, dtype, _settings.Tokenizer));
                    report(locals.Count, specs.Length);
                }

                return 0;
            }));

            TokenLevelStage.Outcome? token = null;
            if (data is null)
            {
                notes.Add("No evaluation data was given: token-level, generation and judge metrics were skipped.");
            }
            else
            {
                token = await StageAsync("token-level", progress, report => OnTorchThreadAsync(() => TokenLevelStage.Run(locals, data.Samples, _settings, report, cancellationToken)));
                notes.AddRange(token.Notes);
            }

            var sequence = data is null ? null : await SequenceLevelAsync(locals, apiTeachers, data, notes, progress, cancellationToken);
            var judge = sequence is null ? null : await JudgeAsync(request, sequence, notes, cancellationToken);
            var efficiency = await EfficiencyAsync(locals, progress, cancellationToken);
            var training = await TrainingCurvesAsync(request, notes, cancellationToken);
            var teachingValue = data?.KeptScores is { } kept && data.RejectedScores is { } rejected && kept.Count + rejected.Count > 0
                ? TeachingValueSummary.From(kept, rejected)
                : null;

            var report = new EvaluationReport(
                EvaluationReport.CurrentSchemaVersion,
                request.Title ?? _settings.Report.Title,
                _time.GetUtcNow(),
                request.Students[0].Name,
                request.Teachers.Select(t => t.Name).ToArray(),
                data is null ? null : new DatasetInfo(data.Path, data.Samples.Count, data.Description, token?.Positions),
                token?.Perplexity,
                token?.Agreement,
                token?.Calibration,
                token?.Matrix,
                sequence?.Metrics,
                judge,
                efficiency,
                null,
                teachingValue,
                training,
                notes);
            var variants = VariantComparison.Build(report, request.Students.Select(s => s.Name).ToArray());
            if (request.Students.Count > 1)
            {
                report = report with { Comparisons = [variants] };
            }

            foreach (var note in notes)
            {
                EvalLog.Note(_logger, note);
            }

            ReportFiles? files = null;
            if (request.OutputDirectory is not null)
            {
                files = await StageAsync("report", progress, _ => ReportWriter.WriteAsync(report, request.OutputDirectory, _settings.Report, cancellationToken));
                EvalLog.Written(_logger, files.Metrics, files.Markdown, files.Html, watch.Elapsed.TotalSeconds);
            }

            return new EvaluationResult(report, files, variants, watch.Elapsed);
        }
        finally
        {
            foreach (var model in locals)
            {
                model.Dispose();
            }
        }
    }

    private static void Validate(EvaluationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Students);
        ArgumentNullException.ThrowIfNull(request.Teachers);
        if (request.Students.Count == 0)
        {
            throw new ArgumentException("no student to evaluate", nameof(request));
        }

        if (request.Students.FirstOrDefault(s => !s.IsLocal) is { } api)
        {
            throw new ArgumentException($"student '{api.Name}' must be a local model directory", nameof(request));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in request.Students.Concat(request.Teachers))
        {
            if (string.IsNullOrWhiteSpace(spec.Name) || !names.Add(spec.Name))
            {
                throw new ArgumentException($"model name '{spec.Name}' is empty or used twice; give each student and teacher its own name", nameof(request));
            }

            if (spec.Directory is { } directory && !Directory.Exists(directory))
            {
                var role = request.Students.Contains(spec) ? "student" : "teacher";
                throw new DirectoryNotFoundException($"{role} '{spec.Name}': model directory '{directory}' does not exist");
            }
        }
    }

    private async Task<IReadOnlyList<ITeacherClient>> ResolveApiTeachersAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        var clients = new List<ITeacherClient>();
        foreach (var spec in request.Teachers.Where(t => !t.IsLocal))
        {
            var factory = _teachers ?? throw new InvalidOperationException($"teacher '{spec.Name}' is neither a model directory nor a configured teacher (no Teachers configuration)");
            clients.Add(await factory.GetAsync(spec.Name, cancellationToken));
        }

        return clients;
    }

    /// <summary>Runs a stage, reporting its progress and logging its time.</summary>
    private async Task<T> StageAsync<T>(string stage, IProgress<EvaluationProgress>? progress, Func<Action<int, int>, Task<T>> body)
    {
        var watch = Stopwatch.StartNew();
        progress?.Report(new EvaluationProgress(stage, 0, 0));
        var result = await body((done, total) => progress?.Report(new EvaluationProgress(stage, done, total)));
        EvalLog.StageDone(_logger, stage, watch.Elapsed.TotalSeconds);
        return result;
    }

    /// <summary>TorchSharp work runs on a dedicated thread: dispose scopes and grad mode are per thread, and a long pass must not hold a pool thread.</summary>
    private static Task<T> OnTorchThreadAsync<T>(Func<T> body)
        => Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
