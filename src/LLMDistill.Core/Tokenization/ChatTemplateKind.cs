namespace LLMDistill.Tokenization;

/// <summary>Which chat template a model uses; <see cref="Auto"/> detects it from tokenizer_config.json.</summary>
public enum ChatTemplateKind
{
    /// <summary>Detect the family from the model's <c>chat_template</c>; <see cref="Plain"/> when it has none.</summary>
    Auto,

    /// <summary><see cref="ChatMLTemplate"/>.</summary>
    ChatML,

    /// <summary><see cref="Llama3ChatTemplate"/>.</summary>
    Llama3,

    /// <summary><see cref="PlainChatTemplate"/>.</summary>
    Plain,
}
