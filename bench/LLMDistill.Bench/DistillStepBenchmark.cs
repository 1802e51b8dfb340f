using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LLMDistill.Inference;
using LLMDistill.Losses;
using LLMDistill.Model;
using LLMDistill.Training;
using LLMDistill.Training.Data;
using LLMDistill.Training.Distillation;
using LLMDistill.Training.Optimization;
using LLMDistill.Training.Options;
using static TorchSharp.torch;

namespace LLMDistill.Bench;

/// <summary>
/// One distillation step of the trainer as it runs in <c>llmdistill train</c>: a bf16 student (float32 master weights,
/// TorchSharp AdamW), a bf16 local teacher under no_grad, forward KL over chunks of positions, gradient clipping.
/// Default sizes: a ~100 M Llama student (12x768) and a ~3.6x larger teacher (28x1024), vocabulary 32000, 8 x 1024
/// tokens. Prints tokens/s and MFU (model FLOPs: 6·N_student + 2·N_teacher per token plus attention) as one JSON line;
/// <c>bench/gpu/distill_step.py</c> is the same step in PyTorch eager, <c>bench/gpu/run_distill_step.sh</c> runs both.
/// </summary>
internal sealed class DistillStepBenchmark : IBenchmark
{
    public string Name => "distill-step";

    public string Description => "one KD step (bf16 ~100M student, ~360M teacher, seq 1024): tokens/s and MFU (--tiny for a CPU smoke run, --device, --json FILE)";

    public Task<int> RunAsync(BenchArgs args) => Task.FromResult(Run(args));

    private int Run(BenchArgs args)
    {
        var tiny = args.String("tiny", "false") == "true";
        var device = DeviceResolver.Resolve(args.String("device", tiny ? "cpu" : "cuda"));
        var dtype = Model.ModelDtypes.Parse(args.String("dtype", tiny ? "float32" : "bfloat16"));
        var batch = args.Int("batch", tiny ? 2 : 8);
        var seq = args.Int("seq", tiny ? 64 : 1024);
        var vocab = args.Int("vocab", tiny ? 512 : 32000);
        var warmup = args.Int("warmup", tiny ? 1 : 3);
        var steps = args.Int("steps", tiny ? 2 : 10);
        var chunk = args.Int("chunk", 4096);
        var peak = double.Parse(args.String("peak-tflops", "989"), CultureInfo.InvariantCulture);
        var json = args.String("json", string.Empty);
        args.EnsureAllUsed();
        if (!tiny && device.type != TorchSharp.DeviceType.CUDA)
        {
            throw new ArgumentException("the full-size benchmark needs CUDA (--device cuda); use --tiny true for a CPU smoke run");
        }

        var studentConfig = Config(vocab, tiny ? 2 : 12, tiny ? 64 : 768, tiny ? 4 : 12, tiny ? 2 : 4, tiny ? 128 : 2048);
        var teacherConfig = Config(vocab, tiny ? 2 : 28, tiny ? 128 : 1024, tiny ? 4 : 16, tiny ? 2 : 8, tiny ? 256 : 2816);
        manual_seed(0);
        using var master = new LlamaForCausalLM(studentConfig, device, ScalarType.Float32);
        master.InitializeWeights(1);
        using var teacher = new LlamaForCausalLM(teacherConfig, device, dtype);
        teacher.InitializeWeights(2);
        teacher.eval();
        foreach (var p in teacher.parameters())
        {
            p.requires_grad = false;
        }

        var compute = StudentBuilder.ComputeCopy(master, dtype);
        var options = new TrainOptions { MaxGradNorm = 1.0, WeightDecay = 0.1 };
        using var optimizer = new TrainingOptimizer(master, compute, null, options);
        var losses = new DistillationLossComputer(compute, teacher, TargetSource.Local, null, 0, chunk);
        var objective = new DistillationObjective([new LossTerm(DistillationLossKind.ForwardKl, 1)]);
        var random = new Random(3);
        var rows = Enumerable.Range(0, batch).Select(_ => new[] { new TrainingExample(Enumerable.Range(0, seq).Select(_ => random.Next(vocab)).ToArray(), 0) }).ToArray();

        var nStudent = master.parameters().Sum(p => p.numel());
        var nTeacher = teacher.parameters().Sum(p => p.numel());
        var tokens = (double)batch * seq;
        // Model FLOPs per token (PaLM appendix B): 6N for a training step, 2N for a forward pass, plus attention
        // scores and values (12·L·T·d training, 4·L·T·d forward, halved for the causal mask as FlashAttention counts).
        var flopsPerToken = (6.0 * nStudent) + (2.0 * nTeacher)
            + (6.0 * studentConfig.NumHiddenLayers * seq * studentConfig.NumAttentionHeads * studentConfig.HeadDim)
            + (2.0 * teacherConfig.NumHiddenLayers * seq * teacherConfig.NumAttentionHeads * teacherConfig.HeadDim);

        float loss = 0;
        for (var i = 0; i < warmup; i++)
        {
            loss = Step(losses, optimizer, objective, rows, device);
        }

        Synchronize(device);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++)
        {
            loss = Step(losses, optimizer, objective, rows, device);
        }

        Synchronize(device);
        var seconds = clock.Elapsed.TotalSeconds / steps;
        var tokensPerSecond = tokens / seconds;
        var mfu = tokensPerSecond * flopsPerToken / (peak * 1e12);
        var result = new Dictionary<string, object>
        {
            ["impl"] = "torchsharp",
            ["device"] = device.ToString(),
            ["dtype"] = Model.ModelDtypes.Name(dtype),
            ["student_params"] = nStudent,
            ["teacher_params"] = nTeacher,
            ["batch"] = batch,
            ["seq"] = seq,
            ["step_ms"] = Math.Round(seconds * 1000, 2),
            ["tokens_per_second"] = Math.Round(tokensPerSecond, 1),
            ["mfu"] = Math.Round(mfu, 4),
            ["loss"] = loss,
        };
        var line = JsonSerializer.Serialize(result);
        Console.WriteLine(line);
        if (json.Length > 0)
        {
            File.WriteAllText(json, line + Environment.NewLine);
        }

        return float.IsFinite(loss) ? 0 : 1;
    }

    private static float Step(DistillationLossComputer losses, TrainingOptimizer optimizer, DistillationObjective objective, TrainingExample[][] rows, Device device)
    {
        using var scope = NewDisposeScope();
        var batch = BatchBuilder.Build(rows, padId: 0, topKSlots: 0, device);
        var loss = losses.Compute(batch, objective);
        loss.Total.backward();
        optimizer.AccumulateGradients();
        optimizer.Step(3e-4, 1.0); // reads the gradient norm: one host sync per step, as in training
        return loss.Total.item<float>();
    }

    private static void Synchronize(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA)
        {
            cuda.synchronize(device);
        }
    }

    private static LlamaConfig Config(int vocab, int layers, int hidden, int heads, int kvHeads, int intermediate) => new()
    {
        VocabSize = vocab,
        HiddenSize = hidden,
        IntermediateSize = intermediate,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        NumKeyValueHeads = kvHeads,
        HeadDim = hidden / heads,
        MaxPositionEmbeddings = 4096,
        TieWordEmbeddings = true,
    };
}
