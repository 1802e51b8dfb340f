using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using LLMDistill.Configuration;
using LLMDistill.Data;
using LLMDistill.Generation.Pipeline;
using LLMDistill.Generation.Prompts;
using LLMDistill.Generation.Seeds;
using LLMDistill.Teachers;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Generation;

/// <summary>
/// The dataset-generation pipeline of <c>llmdistill generate</c>: expand → dedupe → answer → score → filter → sink,
/// connected by bounded channels (backpressure), each stage with its own parallelism. One failing stage stops the
/// others; a stop request (Ctrl+C) stops expansion and admission, lets in-flight work finish for
/// <c>Pipeline:ShutdownGraceSeconds</c>, and flushes every decision made. Running it again on the same directory
/// resumes: the task sequence is a deterministic function of seeds, templates, options and (journaled) teacher
/// replies, so an interrupted and resumed run yields the same samples as an uninterrupted one.
/// </summary>
public sealed class GenerationPipeline
{
    private readonly GenerateOptions _options;
    private readonly ITeacherFactory _teachers;
    private readonly ILogger _logger;
    private readonly IReadOnlyDictionary<string, string> _teacherIdentities;
    private readonly Stopwatch _clock = new();
    private RunContext? _context;
    private long _keptAtStart;

    /// <summary>Creates the pipeline.</summary>
    /// <param name="options">Validated <c>Generate</c> options.</param>
    /// <param name="teachers">Creates the configured teachers.</param>
    /// <param name="logger">Structured logs.</param>
    /// <param name="teacherIdentities">Teacher name → what identifies its outputs (kind, model), part of the config hash.</param>
    public GenerationPipeline(GenerateOptions options, ITeacherFactory teachers, ILogger<GenerationPipeline> logger, IReadOnlyDictionary<string, string>? teacherIdentities = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(teachers);
        ArgumentNullException.ThrowIfNull(logger);
        OptionsBinder.Validate(options, GenerateOptions.SectionName);
        _options = options;
        _teachers = teachers;
        _logger = logger;
        _teacherIdentities = teacherIdentities ?? new Dictionary<string, string>();
    }

    /// <summary>A progress snapshot, or null before the run has started.</summary>
    public GenerationProgress? Progress()
    {
        if (_context is not { } context)
        {
            return null;
        }

        var elapsed = _clock.Elapsed;
        var kept = context.Counters.Kept;
        var rate = elapsed.TotalSeconds > 0 ? (kept - _keptAtStart) / elapsed.TotalSeconds : 0;
        TimeSpan? eta = rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, _options.TargetSamples - kept) / rate) : null;
        return new GenerationProgress(elapsed, _options.TargetSamples, kept, context.Counters.RejectedTotal, context.Counters.Counts, context.Counters.Rejections, _teachers.Usage(), rate, eta);
    }

    /// <summary>
    /// The configuration hash a run with these options writes into its manifest (<see cref="DatasetManifest.ConfigHash"/>):
    /// the content-relevant options, templates, seeds and teacher identities. Equal hashes mean the same dataset, so the
    /// end-to-end job can tell whether a finished dataset is still current without loading any teacher.
    /// </summary>
    /// <param name="options">Validated <c>Generate</c> options.</param>
    /// <param name="baseDirectory">Directory that relative seed and prompt paths start from.</param>
    /// <param name="teacherIdentities">Teacher name → what identifies its outputs (as given to the constructor).</param>
    /// <param name="cancellationToken">Cancels reading the seeds.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="SeedFormatException">Seeds are missing or malformed (with <c>SeedErrors = Fail</c>).</exception>
    /// <exception cref="FormatException">A prompt template is malformed or has wrong placeholders.</exception>
    public static async Task<string> ComputeConfigHashAsync(GenerateOptions options, string baseDirectory, IReadOnlyDictionary<string, string>? teacherIdentities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        var seeds = await SeedLoader.LoadAsync(options.EffectiveSeeds, baseDirectory, options.Mode, options.SeedErrors, cancellationToken);
        var prompts = PromptLibrary.Load(Path.Combine(baseDirectory, options.PromptsDirectory), PromptLibrary.RequiredBy(options));
        return ConfigFingerprint.Compute(options, prompts.Hashes, seeds.Seeds, teacherIdentities ?? new Dictionary<string, string>()).Hash;
    }

    /// <summary>Runs (or resumes) the generation into <c>OutputDirectory</c>.</summary>
    /// <param name="baseDirectory">Directory that relative seed, prompt and output paths start from.</param>
    /// <param name="restart">Discard a run in the output directory made with a different configuration (or any run).</param>
    /// <param name="cancellationToken">Stops the run gracefully (see the class remarks); the method then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The outcome and manifest.</returns>
    /// <exception cref="InvalidOperationException">The output directory holds a run with another configuration (and no <paramref name="restart"/>).</exception>
    /// <exception cref="SeedFormatException">Seeds are missing or malformed (with <c>SeedErrors = Fail</c>).</exception>
    /// <exception cref="FormatException">A prompt template is malformed or has wrong placeholders.</exception>
    /// <exception cref="TeacherException">A teacher failed fatally; what was written is intact and resumable.</exception>
    public async Task<GenerationResult> RunAsync(string baseDirectory, bool restart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseDirectory);
        _clock.Restart();
        var output = Path.GetFullPath(Path.Combine(baseDirectory, _options.OutputDirectory));
        var seeds = await SeedLoader.LoadAsync(_options.EffectiveSeeds, baseDirectory, _options.Mode, _options.SeedErrors, cancellationToken);
        foreach (var problem in seeds.Errors)
        {
            GenerationLog.SeedSkipped(_logger, problem);
        }

        var prompts = PromptLibrary.Load(Path.Combine(baseDirectory, _options.PromptsDirectory), PromptLibrary.RequiredBy(_options));
        var roles = await TeacherRoles.ResolveAsync(_options, _teachers, cancellationToken);
        var (configHash, parts) = ConfigFingerprint.Compute(_options, prompts.Hashes, seeds.Seeds, _teacherIdentities);
        var resume = await ResumeState.LoadAsync(output, configHash, parts, restart, cancellationToken);
        using var hard = new CancellationTokenSource();
        var context = new RunContext(hard)
        {
            Options = _options,
            Prompts = prompts,
            Seeds = seeds.Seeds,
            Expander = roles.Expander,
            Answerers = roles.Answerers,
            Judge = roles.Judge,
            Scorer = roles.Scorer,
            Resume = resume,
            Counters = new GenerationCounters(),
            Logger = _logger,
            OutputDirectory = output,
            AnswerFingerprint = ContentHash.Of(string.Join(",", _options.AnswerTeachers), JsonSerializer.Serialize(_options.Answer.Sampling.ToParameters(null)), prompts.Hashes.GetValueOrDefault(TemplateNames.Answer), prompts.Hashes.GetValueOrDefault(TemplateNames.AnswerCompletion)),
            StopToken = cancellationToken,
        };
        foreach (var problem in seeds.Errors)
        {
            context.Notes.Enqueue("seed line skipped: " + problem);
        }

        context.Counters.Add(CounterNames.SeedErrors, seeds.Errors.Count);
        context.Counters.Add(CounterNames.Kept, resume.KeptCount);
        foreach (var (reason, count) in resume.RejectedReasons)
        {
            context.Counters.Reject(reason, count);
        }

        _keptAtStart = resume.KeptCount;
        var createdAt = resume.Manifest?.CreatedAt ?? DateTimeOffset.UtcNow;
        if (resume.Manifest is { Complete: true } done)
        {
            GenerationLog.AlreadyComplete(_logger, output, resume.KeptCount);
            return new GenerationResult(output, done, AlreadyComplete: true);
        }

        if (resume.Manifest is not null)
        {
            GenerationLog.Resuming(_logger, output, resume.KeptCount, resume.RejectedCount, resume.Journal.Count);
        }

        var (mode, answerNames) = (_options.Mode.ToString(), string.Join(",", _options.AnswerTeachers));
        var (judgeName, scoringName) = (OrDash(_options.JudgeTeacher), OrDash(_options.ScoringTeacher));
        GenerationLog.Starting(_logger, mode, _options.TargetSamples, seeds.Seeds.Count, _options.ExpandTeacher, answerNames, judgeName, scoringName, output, configHash);
        _context = context;
        await using var samples = await ShardedSampleWriter.OpenAsync(output, _options.Pipeline.ShardSize, cancellationToken);
        void Checkpoint() => RunManifest.Write(output, RunManifest.Build(context, configHash, parts, false, createdAt, DateTimeOffset.UtcNow, samples.Shards, _teachers.Usage(), _clock.Elapsed.TotalSeconds));
        Checkpoint();
        await using (var rejected = new JsonlAppender(Path.Combine(output, DatasetDirectory.RejectedFileName)))
        await using (var journal = new ExpansionJournal(output))
        using (cancellationToken.Register(() => hard.CancelAfter(TimeSpan.FromSeconds(_options.Pipeline.ShutdownGraceSeconds))))
        {
            await RunStagesAsync(context, journal, samples, rejected, Checkpoint, hard.Token);
        }

        var complete = context.Fault is null && !cancellationToken.IsCancellationRequested && (context.TargetReached || context.InputsExhausted);
        if (complete && !context.TargetReached)
        {
            context.Notes.Enqueue($"target of {_options.TargetSamples} not reached: {context.Counters.Kept} samples");
        }

        var manifest = RunManifest.Build(context, configHash, parts, complete, createdAt, DateTimeOffset.UtcNow, samples.Shards, _teachers.Usage(), _clock.Elapsed.TotalSeconds);
        RunManifest.Write(output, manifest);
        if (context.Fault is { } fault)
        {
            GenerationLog.Failed(_logger, fault.Message);
            throw fault is TeacherException or IOException or InvalidDataException
                ? fault
                : new InvalidOperationException($"generation failed: {fault.Message}", fault);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            GenerationLog.Interrupted(_logger, context.Counters.Kept);
            throw new OperationCanceledException("generation was stopped; rerun the same command to resume", cancellationToken);
        }

        GenerationLog.Finished(_logger, context.Counters.Kept, context.Counters.RejectedTotal, complete, _clock.Elapsed.TotalSeconds);
        return new GenerationResult(output, manifest, AlreadyComplete: false);
    }

    private static async Task RunStagesAsync(RunContext context, ExpansionJournal journal, ShardedSampleWriter samples, JsonlAppender rejected, Action checkpoint, CancellationToken hard)
    {
        var capacity = context.Options.Pipeline.ChannelCapacity;
        var candidates = Bounded<CandidateBatch>(capacity);
        var admitted = Bounded<WorkItem>(capacity);
        var answered = Bounded<WorkItem>(capacity);
        var scored = Bounded<WorkItem>(capacity);
        var decided = Bounded<SinkRecord>(capacity);
        var stages = new[]
        {
            new ExpandStage(context, journal).RunAsync(candidates.Writer, hard),
            new DedupeStage(context).RunAsync(candidates.Reader, admitted.Writer, hard),
            new AnswerStage(context).RunAsync(admitted.Reader, answered.Writer, hard),
            new ScoreStage(context).RunAsync(answered.Reader, scored.Writer, hard),
            new FilterStage(context).RunAsync(scored.Reader, decided.Writer, hard),
            new SinkStage(context, samples, rejected, checkpoint).RunAsync(decided.Reader),
        };
        try
        {
            await Task.WhenAll(stages);
        }
        catch (Exception ex)
        {
            // The first failure is in context.Fault; the rest are the other stages stopping because of it.
            context.Fail(ex);
        }
    }

    private static string OrDash(string? teacher) => string.IsNullOrWhiteSpace(teacher) ? "-" : teacher;

    private static Channel<T> Bounded<T>(int capacity)
        => Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
}
