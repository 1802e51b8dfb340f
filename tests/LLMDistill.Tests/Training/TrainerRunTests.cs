using System.Text;
using System.Text.Json;
using LLMDistill.Checkpoints;
using LLMDistill.Inference;
using LLMDistill.Teachers;
using LLMDistill.Tests.Checkpoints;
using LLMDistill.Tokenization;
using LLMDistill.Training.Checkpointing;
using LLMDistill.Training.Options;
using LLMDistill.Training.Schedules;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Training;

/// <summary>End-to-end CPU runs of the trainer with tiny models (a few steps each).</summary>
public sealed class TrainerRunTests : IDisposable
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Train_OverfitOneBatch_LossFalls()
    {
        var data = _dir.File("one-batch.jsonl");
        File.WriteAllText(data, """
            {"instruction":"Who is the king?","response":"The king is Richard, my lord."}
            {"instruction":"Name a play.","response":"Hamlet, Prince of Denmark."}
            """ + "\n");
        var options = TrainingRuns.Options(_dir.File("overfit"), data, o =>
        {
            o.Teacher = null;
            o.Tokenizer = TrainingRuns.Teacher;
            o.Loss = new LossOptions { CrossEntropy = 1, ForwardKl = 0 };
            o.Steps = 40;
            o.Data.EvalFraction = 0;
            o.Student.HiddenSize = 64;
            o.Student.Heads = 4;
            o.Student.KeyValueHeads = 2;
            o.LearningRate = new LearningRateSchedule { Kind = LearningRateScheduleKind.Constant, LearningRate = 1e-2, WarmupSteps = 1, TotalSteps = 40 };
        });

        var result = await TrainingRuns.RunAsync(options);

        var losses = TrainingRuns.Metrics(options.OutputDirectory).Select(m => m.Loss).ToArray();
        Assert.Equal(40, losses.Length);
        Assert.True(losses[^1] < 0.1 * losses[0], $"loss {losses[0]:F3} -> {losses[^1]:F3}");
        Assert.Equal(["ce"], result.LastTrain!.Parts.Keys);
    }

    [Fact]
    public async Task Train_LocalTeacherForwardKl_DrivesHeldOutKlDownAndExportsAStudent()
    {
        var options = TrainingRuns.Options(_dir.File("kd"), TrainingRuns.WriteText(_dir.File("text.txt")), o =>
        {
            o.Steps = 12;
            o.EvalEvery = 6;
            o.LearningRate = o.LearningRate with { TotalSteps = 12, LearningRate = 1e-2 };
        });

        var result = await TrainingRuns.RunAsync(options);

        var eval = TrainingRuns.Metrics(options.OutputDirectory, "eval");
        Assert.Equal([0L, 6, 12], eval.Select(m => m.Step));
        Assert.True(eval[2].Parts["kl"] < 0.8 * eval[0].Parts["kl"], $"kl {eval[0].Parts["kl"]:F3} -> {eval[2].Parts["kl"]:F3}");
        Assert.Equal(eval[2].Parts["forward_kl"], eval[2].Parts["kl"], 6); // τ = 1: the objective is the KL itself
        Assert.True(eval[2].Parts["perplexity"] > 1);
        using var student = HfCheckpoint.Load(result.StudentDirectory);
        Assert.Equal(2048, student.Config.VocabSize);
        Assert.Equal((1, 32), (student.Config.NumHiddenLayers, student.Config.HiddenSize));
        Assert.True(File.Exists(Path.Combine(result.StudentDirectory, "tokenizer.json")));
        Assert.Equal(ModelTokenizer.Load(TrainingRuns.Teacher).Encode("ROMEO:"), ModelTokenizer.Load(result.StudentDirectory).Encode("ROMEO:"));
        Assert.Equal(12, result.Steps);
        Assert.True(result.TokensSeen > 0);
    }

    [Fact]
    public async Task Train_StudentInitialisedFromTheTeacher_StartsAtZeroKl()
    {
        var options = TrainingRuns.Options(_dir.File("init"), TrainingRuns.WriteText(_dir.File("text.txt"), 3000), o =>
        {
            o.Student = new StudentOptions { InitFrom = TrainingRuns.Teacher };
            o.Steps = 1;
            o.EvalEvery = 1;
            o.LearningRate = o.LearningRate with { TotalSteps = 1, LearningRate = 1e-6, MinLearningRate = 0 };
        });

        var result = await TrainingRuns.RunAsync(options);

        var start = TrainingRuns.Metrics(options.OutputDirectory, "eval")[0];
        Assert.Equal(0, start.Step);
        Assert.True(start.Parts["kl"] < 1e-5, $"kl {start.Parts["kl"]}");
        using var student = HfCheckpoint.Load(result.StudentDirectory);
        Assert.Equal((4, 128), (student.Config.NumHiddenLayers, student.Config.HiddenSize));
    }

    [Fact]
    public async Task Train_StagedTemperatureLinearAlphaAndConfidenceSelection_FollowTheSchedulesPerStep()
    {
        var options = TrainingRuns.Options(_dir.File("schedules"), TrainingRuns.WriteText(_dir.File("text.txt"), 3000), o =>
        {
            o.Steps = 4;
            o.LearningRate = o.LearningRate with { TotalSteps = 4 };
            o.Loss = new LossOptions
            {
                ForwardKl = 1,
                Temperature = ValueSchedule.Staged(new(0, 4), new(2, 1)),
                Alpha = ValueSchedule.Linear(1, 0, 0, 4),
                ConfidenceThreshold = 0.05,
            };
        });

        await TrainingRuns.RunAsync(options);

        var train = TrainingRuns.Metrics(options.OutputDirectory);
        Assert.Equal([4.0, 4, 1, 1], train.Select(m => m.Temperature));      // line of step s+1 carries the values of 0-based step s
        Assert.Equal([1.0, 0.75, 0.5, 0.25], train.Select(m => m.Alpha!.Value));
        Assert.Equal(["ce"], train[0].Parts.Keys.Where(k => k is "ce" or "forward_kl")); // α = 1: the KL term is off
        Assert.All(train.Skip(1), m => Assert.InRange(m.Parts["confident_fraction"], 0, 1));
        Assert.All(train.Skip(1), m => Assert.Contains("forward_kl", m.Parts.Keys));
    }

    [Fact]
    public async Task Train_StoredTopKFromTheDataset_TrainsOnTopKKl()
    {
        var data = await WriteTeacherSamplesAsync(_dir.File("stored.jsonl"), count: 6);
        var options = TrainingRuns.Options(_dir.File("stored"), data, o =>
        {
            o.Teacher = null;
            o.Tokenizer = TrainingRuns.Teacher;
            o.Loss = new LossOptions { ForwardKl = 0, TopKKl = 1, CrossEntropy = 0.5 };
            o.Steps = 8;
            o.SequenceLength = 64;
            o.Data.EvalFraction = 0.3;
            o.LearningRate = o.LearningRate with { TotalSteps = 8, LearningRate = 1e-2 };
        });

        var result = await TrainingRuns.RunAsync(options);

        var train = TrainingRuns.Metrics(options.OutputDirectory);
        Assert.All(train, m => Assert.True(double.IsFinite(m.Parts["topk_kl"]) && m.Parts["topk_kl"] > 0));
        Assert.True(train[^1].Parts["topk_kl"] < train[0].Parts["topk_kl"], $"topk_kl {train[0].Parts["topk_kl"]:F3} -> {train[^1].Parts["topk_kl"]:F3}");
        Assert.Contains("kl", result.LastEval!.Parts.Keys);
        Assert.InRange(result.LastEval.Parts["ce"], 0.5, Math.Log(2048) + 1); // the objective's CE and the reference CE are one number, not a sum
        Assert.Equal(Math.Exp(result.LastEval.Parts["ce"]), result.LastEval.Parts["perplexity"], 6);
    }

    [Fact]
    public async Task Train_HiddenStatesAndOnPolicyBatches_TrainProjectionsOutsideTheExport()
    {
        var data = _dir.File("chat.jsonl");
        File.WriteAllLines(data, Enumerable.Range(0, 8).Select(i => JsonSerializer.Serialize(new { instruction = $"Speak line {i}.", response = $"My lord, line {i} is spoken." })));
        TrainOptions Configure(string name, double lambda) => TrainingRuns.Options(_dir.File(name), data, o =>
        {
            o.Steps = 3;
            o.HiddenStates = new HiddenStateOptions { Weight = 0.1, Layers = ["1:4", "0:0"] };
            o.OnPolicy = new OnPolicyOptions { Lambda = lambda, MaxNewTokens = 6 };
            o.LearningRate = o.LearningRate with { TotalSteps = 3 };
        });

        var onPolicy = await TrainingRuns.RunAsync(Configure("on-policy", 1.0));
        var offPolicy = await TrainingRuns.RunAsync(Configure("off-policy", 0.0));

        var first = TrainingRuns.Metrics(onPolicy.OutputDirectory)[0];
        Assert.True(first.Parts["hidden_mse"] > 0);
        Assert.NotEqual(TrainingRuns.Metrics(offPolicy.OutputDirectory)[0].Loss, first.Loss); // the student's own continuations were scored
        Assert.True(File.Exists(Path.Combine(onPolicy.LastCheckpoint, TrainingCheckpoint.ProjectionsFile)));
        using var student = HfCheckpoint.Load(onPolicy.StudentDirectory); // refuses unexpected tensors: no regressor leaked into the export
        Assert.DoesNotContain(student.named_parameters(), p => p.name.Contains("projection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Train_Bfloat16Compute_TracksFloat32AndKeepsFloat32MasterWeights()
    {
        var text = TrainingRuns.WriteText(_dir.File("text.txt"), 3000);
        TrainOptions Configure(string dtype) => TrainingRuns.Options(_dir.File(dtype), text, o =>
        {
            o.Dtype = dtype;
            o.TeacherDtype = dtype;
            o.Steps = 6;
            o.LearningRate = o.LearningRate with { TotalSteps = 6, LearningRate = 1e-2 };
        });

        var bf16 = await TrainingRuns.RunAsync(Configure("bfloat16"));
        var fp32 = await TrainingRuns.RunAsync(Configure("float32"));

        var low = TrainingRuns.Metrics(bf16.OutputDirectory).Select(m => m.Loss).ToArray();
        var full = TrainingRuns.Metrics(fp32.OutputDirectory).Select(m => m.Loss).ToArray();
        Assert.Equal(6, low.Length);
        Assert.All(low.Zip(full), p => Assert.True(Math.Abs(p.First - p.Second) < 0.02 * p.Second, $"bf16 {p.First:F4} vs fp32 {p.Second:F4}"));
        using var reader = SafetensorsReader.Open(Path.Combine(bf16.StudentDirectory, "model.safetensors"));
        Assert.All(reader.Tensors, t => Assert.Equal("F32", t.Dtype));
        Assert.Contains("\"compute_dtype\": \"bfloat16\"", File.ReadAllText(Path.Combine(bf16.LastCheckpoint, TrainingCheckpoint.StateFile)), StringComparison.Ordinal);
    }

    /// <summary>Greedy continuations of the teacher with their top-5 logprobs, written as JSONL rows with token bytes (as an API returns them).</summary>
    private static async Task<string> WriteTeacherSamplesAsync(string path, int count)
    {
        var tokenizer = ModelTokenizer.Load(TrainingRuns.Teacher);
        using var teacher = HfCheckpoint.Load(TrainingRuns.Teacher);
        var prompts = new[] { "ROMEO:\n", "JULIET:\n", "KING RICHARD:\n", "First Citizen:\n", "HAMLET:\n", "GLOUCESTER:\n" }.Take(count).ToArray();
        var generator = new TokenGenerator(teacher);
        var results = await generator.GenerateAsync(
            prompts.Select(p => new GenerationRequest(tokenizer.Encode(p).ToArray(), new DecodingParameters(MaxNewTokens: 12, StopTokenIds: [], TopLogprobs: 5))).ToArray());
        var lines = results.Select((r, i) =>
        {
            var logprobs = r.Tokens.Select(t => new TokenLogprob(
                Text(tokenizer, t.Id), tokenizer.TokenBytes(t.Id), t.Logprob!.Value,
                t.TopLogprobs!.Select(a => new TopLogprob(Text(tokenizer, a.Id), tokenizer.TokenBytes(a.Id), a.Logprob)).ToArray())).ToArray();
            return JsonSerializer.Serialize(new { prompt = prompts[i], completion = tokenizer.Decode(r.TokenIds), logprobs }, Web);
        });
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }

    private static string Text(ModelTokenizer tokenizer, int id) => Encoding.UTF8.GetString(tokenizer.TokenBytes(id));
}
