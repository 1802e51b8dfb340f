using LLMDistill.Checkpoints;
using LLMDistill.Inference;
using LLMDistill.Model;
using LLMDistill.Teachers;
using LLMDistill.Tests.Model;
using LLMDistill.Tokenization;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Teachers;

/// <summary>shakespeare-4m as a <see cref="LocalModel"/> (CPU, float32) plus a plain copy for full-forward reference values.</summary>
public sealed class LocalModelFixture : IAsyncLifetime
{
    public const string ModelName = "shakespeare-4m";

    private LocalModel? _model;
    private LlamaForCausalLM? _reference;

    public static string Directory => ShakespeareReference.Dir(ModelName);

    public LocalModel Model => _model ?? throw new InvalidOperationException("not initialised");

    /// <summary>The same weights outside the scheduler, for reference forwards on the test thread.</summary>
    public LlamaForCausalLM Reference => _reference ?? throw new InvalidOperationException("not initialised");

    public static LocalModelOptions Options(SchedulerOptions? scheduler = null)
        => new(Directory, null, CPU, ScalarType.Float32, ChatTemplateKind.Auto, scheduler ?? new SchedulerOptions(MaxBatchSize: 16));

    public async Task InitializeAsync()
    {
        _model = await LocalModel.LoadAsync(Options(), null, CancellationToken.None);
        _reference = HfCheckpoint.Load(Directory);
    }

    public Task DisposeAsync()
    {
        _model?.Dispose();
        _reference?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>log_softmax of a full forward over <paramref name="ids"/>: (T, V) float32 values as nested arrays.</summary>
    public float[][] LogSoftmax(IReadOnlyList<int> ids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0);
        var logp = Reference.forward(new CausalLmInput(input)).Logits!.to_type(ScalarType.Float32).log_softmax(-1)[0]; // (T, V)
        var flat = logp.data<float>().ToArray();
        var vocab = (int)logp.shape[1];
        return Enumerable.Range(0, ids.Count).Select(t => flat.AsSpan(t * vocab, vocab).ToArray()).ToArray();
    }
}
