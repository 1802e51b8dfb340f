namespace LLMDistill.Tokenization;

/// <summary>Text to ids for one tokenizer kind (byte-level BPE, SentencePiece, tiktoken). Implementations are thread-safe.</summary>
internal interface ITokenEncoder
{
    /// <summary>Appends the ids of <paramref name="text"/> (no BOS/EOS added) to <paramref name="ids"/>.</summary>
    void Encode(string text, List<int> ids);
}
