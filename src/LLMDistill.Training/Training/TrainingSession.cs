using System.Globalization;
using LLMDistill.Checkpoints;
using LLMDistill.Configuration;
using LLMDistill.Inference;
using LLMDistill.Model;
using LLMDistill.Tokenization;
using LLMDistill.Training.Checkpointing;
using LLMDistill.Training.Data;
using LLMDistill.Training.Distillation;
using LLMDistill.Training.Optimization;
using LLMDistill.Training.Options;
using static TorchSharp.torch;

namespace LLMDistill.Training;

/// <summary>
/// Everything a run needs, loaded and checked before the first step: tokenizer, teacher, data, the resolved target
/// source, student (fresh, initialised, or resumed), optimizer, data position and the loss machinery.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private TrainingSession(TrainOptions options, Device device, ModelTokenizer tokenizer, string tokenizerDirectory, TrainingCorpus corpus, TargetSource targets)
    {
        Options = options;
        Device = device;
        Tokenizer = tokenizer;
        TokenizerDirectory = tokenizerDirectory;
        Corpus = corpus;
        Targets = targets;
        CheckpointRoot = Path.Combine(options.OutputDirectory, "checkpoints");
    }

    public TrainOptions Options { get; }

    public Device Device { get; }

    public ModelTokenizer Tokenizer { get; }

    public string TokenizerDirectory { get; }

    public TrainingCorpus Corpus { get; }

    public TargetSource Targets { get; }

    public string CheckpointRoot { get; }

    public LlamaForCausalLM? Teacher { get; private set; }

    public LlamaForCausalLM Master { get; private set; } = null!;

    public LlamaForCausalLM Compute { get; private set; } = null!;

    public HiddenStateDistiller? Distiller { get; private set; }

    public TrainingOptimizer Optimizer { get; private set; } = null!;

    public DataCursor Cursor { get; private set; } = null!;

    public DistillationLossComputer Losses { get; private set; } = null!;

    public HeldOutEvaluator Evaluator { get; private set; } = null!;

    public OnPolicyBatcher? OnPolicy { get; private set; }

    public IReadOnlyDictionary<string, string> Trajectory { get; private set; } = null!;

    public int PadId { get; private set; }

    /// <summary>The checkpoint this run resumed from, if any.</summary>
    public string? ResumedFrom { get; private set; }

    public long StartStep { get; private set; }

    public long TokensSeen { get; private set; }

    public double ElapsedSeconds { get; private set; }

    /// <summary>Loads and checks everything; nothing is trained yet.</summary>
    /// <exception cref="OptionsValidationException">An option does not fit the models or data; the message names its key.</exception>
    /// <exception cref="InvalidDataException">A file or checkpoint is malformed, or a resume would not be exact.</exception>
    public static TrainingSession Create(TrainingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var o = request.Options;
        TrainOptionsReader.Validate(o);
        var device = DeviceResolver.Resolve(o.Device);
        var dtype = ModelDtypes.Parse(o.Dtype);
        var checkpoint = request.Resume is { Length: > 0 } resume ? TrainingCheckpoint.Resolve(Path.Combine(o.OutputDirectory, "checkpoints"), resume) : null;
        var state = checkpoint is null ? null : TrainingCheckpoint.Open(checkpoint);

        var tokenizerDirectory = o.Tokenizer ?? o.Teacher ?? o.Student.InitFrom!;
        var tokenizer = ModelTokenizer.Load(tokenizerDirectory, request.ChatTemplate);
        var corpus = CorpusLoader.Load(o.Data, o.SequenceLength, tokenizer, cancellationToken);
        var targets = o.Targets != TargetSource.Auto ? o.Targets
            : !string.IsNullOrWhiteSpace(o.Teacher) ? TargetSource.Local
            : corpus.TopKSlots > 0 ? TargetSource.Stored : TargetSource.None;
        if (targets == TargetSource.Stored && corpus.TopKSlots == 0)
        {
            throw new OptionsValidationException(
                $"Train:Targets: Stored, but no sample of '{o.Data.Path}' has logprobs that map onto the tokenizer ({corpus.Stats.TopKUnaligned} samples had logprobs that did not)");
        }

        TrainOptionsReader.CheckLoss(o, targets);
        var session = new TrainingSession(o, device, tokenizer, tokenizerDirectory, corpus, targets);
        try
        {
            session.Load(checkpoint, state, dtype);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Optimizer?.Dispose();
        Distiller?.Dispose();
        if (Compute is not null && !ReferenceEquals(Compute, Master))
        {
            Compute.Dispose();
        }

        Master?.Dispose();
        Teacher?.Dispose();
    }

    private void Load(string? checkpoint, TrainerState? state, ScalarType dtype)
    {
        var o = Options;
        if (!string.IsNullOrWhiteSpace(o.Teacher) && (Targets == TargetSource.Local || o.HiddenStates.Weight > 0 || o.OnPolicy.Lambda > 0))
        {
            Teacher = HfCheckpoint.Load(o.Teacher, Device, ModelDtypes.Parse(o.TeacherDtype));
            foreach (var parameter in Teacher.parameters())
            {
                parameter.requires_grad = false;
            }

            if (Tokenizer.VocabSize > Teacher.Config.VocabSize)
            {
                throw new OptionsValidationException($"Train:Teacher: the tokenizer has {Tokenizer.VocabSize} tokens but the teacher's vocabulary only {Teacher.Config.VocabSize}");
            }
        }

        var vocab = Teacher?.Config.VocabSize ?? Tokenizer.VocabSize;
        if (state is null)
        {
            manual_seed(o.Seed);
        }

        Master = StudentBuilder.CreateMaster(o, checkpoint, vocab, Tokenizer, Teacher?.Config, Device);
        if (Master.Config.VocabSize != vocab)
        {
            throw new InvalidDataException($"checkpoint '{checkpoint}' has a vocabulary of {Master.Config.VocabSize} tokens, but the teacher's has {vocab}");
        }

        Compute = StudentBuilder.ComputeCopy(Master, dtype);
        Compute.train();
        PadId = Tokenizer.PadTokenId ?? Tokenizer.EosTokenId ?? 0;
        if (o.HiddenStates.Weight > 0)
        {
            Distiller = CreateDistiller();
        }

        Optimizer = new TrainingOptimizer(Master, Compute, Distiller, o);
        Cursor = new DataCursor(Corpus.Train, o.Seed, o.SequenceLength, o.BatchSize, o.Batching);
        Losses = new DistillationLossComputer(Compute, Teacher, Targets, Distiller, o.HiddenStates.Weight, o.ChunkSize);
        Evaluator = new HeldOutEvaluator(Losses, Compute, Corpus.Eval, o, Targets, PadId, Corpus.TopKSlots, Device);
        if (o.OnPolicy.Lambda > 0)
        {
            // One generation batch holds every sample of a micro-batch (each has at least two tokens).
            OnPolicy = new OnPolicyBatcher(Compute, o.OnPolicy, Tokenizer.StopTokenIds, o.SequenceLength, o.BatchSize * Math.Max(o.SequenceLength / 2, 1), o.Seed);
        }

        Trajectory = TrajectoryOf(o, Targets, Master.Config);
        if (state is not null)
        {
            Restore(checkpoint!, state);
        }
    }

    private HiddenStateDistiller CreateDistiller()
    {
        var teacher = Teacher!.Config;
        var pairs = Options.HiddenStates.Layers.Count > 0
            ? TrainOptionsReader.ParseLayerPairs(Options.HiddenStates.Layers)
            : HiddenStateDistiller.DefaultPairs(Master.Config.NumHiddenLayers, teacher.NumHiddenLayers);
        for (var i = 0; i < pairs.Count; i++)
        {
            if (pairs[i].Student > Master.Config.NumHiddenLayers || pairs[i].Teacher > teacher.NumHiddenLayers)
            {
                throw new OptionsValidationException(
                    $"Train:HiddenStates:Layers:{i}: '{pairs[i].Student}:{pairs[i].Teacher}' is out of range (student layers 0..{Master.Config.NumHiddenLayers}, teacher layers 0..{teacher.NumHiddenLayers})");
            }
        }

        return new HiddenStateDistiller(pairs, Master.Config.HiddenSize, teacher.HiddenSize, Device, Options.Seed);
    }

    private void Restore(string checkpoint, TrainerState state)
    {
        var changed = Trajectory.Where(p => !state.Trajectory.TryGetValue(p.Key, out var saved) || saved != p.Value)
            .Select(p => $"Train:{p.Key} changed ({state.Trajectory.GetValueOrDefault(p.Key) ?? "unset"} -> {p.Value})")
            .ToList();
        if (changed.Count > 0)
        {
            throw new InvalidDataException($"cannot resume exactly from '{checkpoint}': {string.Join("; ", changed)}; restore those options or start a new run");
        }

        Optimizer.Load(Path.Combine(checkpoint, TrainingCheckpoint.OptimizerFile));
        if (Distiller is not null)
        {
            using var reader = SafetensorsReader.Open(Path.Combine(checkpoint, TrainingCheckpoint.ProjectionsFile));
            using var noGrad = no_grad();
            foreach (var (name, parameter) in Distiller.named_parameters())
            {
                reader.CopyTo(name, parameter);
            }
        }

        Cursor.Seek(state.Epoch, state.Batch);
        using (var rng = tensor(File.ReadAllBytes(Path.Combine(checkpoint, TrainingCheckpoint.RngFile))))
        {
            random.set_rng_state(rng);
        }

        ResumedFrom = checkpoint;
        StartStep = state.Step;
        TokensSeen = state.TokensSeen;
        ElapsedSeconds = state.ElapsedSeconds;
    }

    private static Dictionary<string, string> TrajectoryOf(TrainOptions o, TargetSource targets, LlamaConfig student)
    {
        static string Full(string? path) => string.IsNullOrWhiteSpace(path) ? string.Empty : Path.GetFullPath(path);
        var c = CultureInfo.InvariantCulture;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Seed"] = o.Seed.ToString(c),
            ["BatchSize"] = o.BatchSize.ToString(c),
            ["SequenceLength"] = o.SequenceLength.ToString(c),
            ["Batching"] = o.Batching.ToString(),
            ["GradientAccumulationSteps"] = o.GradientAccumulationSteps.ToString(c),
            ["Dtype"] = ModelDtypes.Name(ModelDtypes.Parse(o.Dtype)),
            ["Teacher"] = Full(o.Teacher),
            ["Targets"] = targets.ToString(),
            ["Data:Path"] = Full(o.Data.Path),
            ["Data:EvalPath"] = Full(o.Data.EvalPath),
            ["Data:Format"] = o.Data.Format.ToString(),
            ["Data:EvalFraction"] = o.Data.EvalFraction.ToString("R", c),
            ["Data:MaxSamples"] = o.Data.MaxSamples.ToString(c),
            ["Data:SystemPrompt"] = o.Data.SystemPrompt ?? string.Empty,
            ["Student"] = string.Create(c, $"{student.NumHiddenLayers}x{student.HiddenSize} heads {student.NumAttentionHeads}/{student.NumKeyValueHeads} mlp {student.IntermediateSize} vocab {student.VocabSize}"),
            ["HiddenStates:Layers"] = o.HiddenStates.Weight > 0 ? string.Join(",", o.HiddenStates.Layers) : "off",
            ["OnPolicy:Lambda"] = o.OnPolicy.Lambda.ToString("R", c),
        };
    }
}
