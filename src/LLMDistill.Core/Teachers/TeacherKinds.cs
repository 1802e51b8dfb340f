namespace LLMDistill.Teachers;

/// <summary>The values of <see cref="TeacherOptions.Kind"/> known to LLMDistill.</summary>
public static class TeacherKinds
{
    /// <summary>OpenAI or any OpenAI-compatible server (vLLM, Ollama, llama.cpp server, LM Studio).</summary>
    public const string OpenAI = "openai";

    /// <summary>Azure OpenAI (endpoint + deployment; API key or Entra ID).</summary>
    public const string Azure = "azure";

    /// <summary>An in-process TorchSharp model, registered by LLMDistill.Training.</summary>
    public const string Local = "local";
}
