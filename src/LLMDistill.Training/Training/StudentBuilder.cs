using LLMDistill.Checkpoints;
using LLMDistill.Configuration;
using LLMDistill.Model;
using LLMDistill.Tokenization;
using LLMDistill.Training.Options;
using static TorchSharp.torch;

namespace LLMDistill.Training;

/// <summary>Creates the float32 master student (fresh, from <c>Student:InitFrom</c>, or from a checkpoint) and its compute copy.</summary>
internal static class StudentBuilder
{
    /// <summary>The architecture of a fresh student: <c>Train:Student</c> with the teacher's vocabulary and special tokens.</summary>
    public static LlamaConfig FreshConfig(StudentOptions s, int vocabSize, int sequenceLength, ModelTokenizer tokenizer, LlamaConfig? teacher) => new()
    {
        VocabSize = vocabSize,
        HiddenSize = s.HiddenSize,
        IntermediateSize = s.ResolvedIntermediateSize,
        NumHiddenLayers = s.Layers,
        NumAttentionHeads = s.Heads,
        NumKeyValueHeads = s.KeyValueHeads,
        HeadDim = s.HiddenSize / s.Heads,
        MaxPositionEmbeddings = s.MaxPositionEmbeddings > 0 ? s.MaxPositionEmbeddings : Math.Max(sequenceLength, teacher?.MaxPositionEmbeddings ?? 0),
        RmsNormEps = s.RmsNormEps,
        RopeTheta = s.RopeTheta,
        TieWordEmbeddings = s.TieWordEmbeddings,
        InitializerRange = s.InitializerRange,
        BosTokenId = tokenizer.BosTokenId ?? teacher?.BosTokenId,
        EosTokenIds = tokenizer.EosTokenId is { } eos ? [eos] : teacher?.EosTokenIds ?? [],
        PadTokenId = tokenizer.PadTokenId ?? teacher?.PadTokenId,
    };

    /// <summary>Creates the float32 master student.</summary>
    /// <param name="options">The run's options.</param>
    /// <param name="checkpoint">A checkpoint directory to resume from, or null.</param>
    /// <param name="vocabSize">The vocabulary the student must have (the teacher's).</param>
    /// <param name="tokenizer">The tokenizer (special tokens of a fresh config).</param>
    /// <param name="teacher">The teacher's config, or null.</param>
    /// <param name="device">Where to put it.</param>
    /// <exception cref="OptionsValidationException">An initial checkpoint's vocabulary differs from the teacher's.</exception>
    public static LlamaForCausalLM CreateMaster(TrainOptions options, string? checkpoint, int vocabSize, ModelTokenizer tokenizer, LlamaConfig? teacher, Device device)
    {
        if (checkpoint is not null)
        {
            return HfCheckpoint.Load(checkpoint, device, ScalarType.Float32);
        }

        if (options.Student.InitFrom is { } initFrom)
        {
            var loaded = HfCheckpoint.Load(initFrom, device, ScalarType.Float32);
            if (loaded.Config.VocabSize != vocabSize)
            {
                loaded.Dispose();
                throw new OptionsValidationException(
                    $"Train:Student:InitFrom: '{initFrom}' has a vocabulary of {loaded.Config.VocabSize} tokens, but the teacher's has {vocabSize}; token-level distillation needs the same vocabulary");
            }

            return loaded;
        }

        var config = FreshConfig(options.Student, vocabSize, options.SequenceLength, tokenizer, teacher);
        try
        {
            config.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new OptionsValidationException($"Train:Student: {ex.Message}", ex);
        }

        var model = new LlamaForCausalLM(config, device, ScalarType.Float32);
        model.InitializeWeights(options.Seed);
        return model;
    }

    /// <summary>The model that computes: the master itself (float32) or a copy of it in <paramref name="dtype"/>.</summary>
    public static LlamaForCausalLM ComputeCopy(LlamaForCausalLM master, ScalarType dtype)
    {
        if (dtype == ScalarType.Float32)
        {
            return master;
        }

        var copy = new LlamaForCausalLM(master.Config, master.Device, dtype);
        var source = master.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in copy.named_parameters())
        {
            parameter.copy_(source[name]);
        }

        return copy;
    }
}
