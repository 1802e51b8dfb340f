using LLMDistill.Checkpoints;
using LLMDistill.Model;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Tokenization;

namespace LLMDistill.Tests.Evaluation.TeacherForced;

/// <summary>shakespeare-1m and shakespeare-4m on the CPU (shared tokenizer), loaded once per test class.</summary>
public sealed class ShakespeareModels : IDisposable
{
    public ShakespeareModels()
    {
        Small = HfCheckpoint.Load(SharedPaths.Model("shakespeare-1m"));
        Large = HfCheckpoint.Load(SharedPaths.Model("shakespeare-4m"));
        Tokenizer = ModelTokenizer.Load(SharedPaths.Model("shakespeare-4m"));
    }

    public LlamaForCausalLM Small { get; }

    public LlamaForCausalLM Large { get; }

    public ModelTokenizer Tokenizer { get; }

    public void Dispose()
    {
        Small.Dispose();
        Large.Dispose();
    }
}
