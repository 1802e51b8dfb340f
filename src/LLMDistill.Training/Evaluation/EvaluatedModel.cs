using LLMDistill.Checkpoints;
using LLMDistill.Evaluation.TeacherForced;
using LLMDistill.Model;
using LLMDistill.Tokenization;
using static TorchSharp.torch;

namespace LLMDistill.Evaluation;

/// <summary>
/// A local model loaded for evaluation: weights on the evaluation device, tokenizer, stop ids, size. Not the serving
/// engine <see cref="Teachers.LocalModel"/>: teacher-forced scoring needs the raw model (hidden states, <c>LmHead</c>).
/// </summary>
internal sealed class EvaluatedModel : IDisposable
{
    private EvaluatedModel(ModelSpec spec, string role, LlamaForCausalLM model, ModelTokenizer tokenizer, IReadOnlyList<int> stopIds, long bytesOnDisk)
    {
        Spec = spec;
        Role = role;
        Model = model;
        Tokenizer = tokenizer;
        StopIds = stopIds;
        BytesOnDisk = bytesOnDisk;
        Parameters = model.parameters().Sum(p => p.numel());
    }

    public ModelSpec Spec { get; }

    public string Name => Spec.Name;

    /// <summary>"student" or "teacher".</summary>
    public string Role { get; }

    public LlamaForCausalLM Model { get; }

    public ModelTokenizer Tokenizer { get; }

    /// <summary>EOS ids of the generation config and model config, plus the tokenizer's stop ids (end of turn).</summary>
    public IReadOnlyList<int> StopIds { get; }

    public long Parameters { get; }

    /// <summary>Size of the weight files.</summary>
    public long BytesOnDisk { get; }

    public NamedModel Named => new(Name, Model);

    /// <summary>Loads a model directory; errors name the role, the model and the directory.</summary>
    public static EvaluatedModel Load(ModelSpec spec, string role, Device device, ScalarType dtype, TokenizerOptions tokenizerOptions)
    {
        var directory = spec.Directory ?? throw new ArgumentException($"{role} '{spec.Name}' is not a local model", nameof(spec));
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{role} '{spec.Name}': model directory '{directory}' does not exist");
        }

        var tokenizer = tokenizerOptions.Load(directory);
        var model = HfCheckpoint.Load(directory, device, dtype);
        try
        {
            var stops = HfGenerationConfig.Load(directory, model.Config).StopTokenIds(model.Config).Concat(tokenizer.StopTokenIds).Distinct().ToArray();
            var bytes = HfWeightFiles.Resolve(directory).Sum(f => new FileInfo(f.Path).Length);
            return new EvaluatedModel(spec, role, model, tokenizer, stops, bytes);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public void Dispose() => Model.Dispose();
}
