using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Tokenization;

/// <summary>The <c>Tokenizer</c> section of appsettings.json: how model tokenizers are set up.</summary>
public sealed class TokenizerOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Tokenizer";

    /// <summary>Which chat template to use: <c>auto</c> (detect from the model's tokenizer_config.json), <c>chatml</c>,
    /// <c>llama3</c> or <c>plain</c>.</summary>
    /// <value>Default <see cref="ChatTemplateKind.Auto"/>.</value>
    [EnumDataType(typeof(ChatTemplateKind))]
    public ChatTemplateKind ChatTemplate { get; set; } = ChatTemplateKind.Auto;

    /// <summary>Loads the tokenizer of <paramref name="modelDirectory"/> with these options.</summary>
    /// <param name="modelDirectory">The model directory.</param>
    /// <returns>The tokenizer.</returns>
    public ModelTokenizer Load(string modelDirectory) => ModelTokenizer.Load(modelDirectory, ChatTemplate);
}
