using System.Text;
using LLMDistill.Teachers;
using LLMDistill.Tokenization;

namespace LLMDistill.Training.Data;

/// <summary>
/// Tokenises samples as the architecture contract says: prompt ids (the chat template rendered with the generation
/// prompt, or the raw prompt) and response ids (answer + end-of-turn) are encoded apart and concatenated, so the loss
/// mask is exact. Stored logprobs are mapped onto token ids through their bytes; when every chosen token maps and the
/// tokens spell the response, the response ids are the teacher's own tokens and their top-k become targets.
/// </summary>
internal sealed class SampleEncoder(ModelTokenizer tokenizer, string? systemPrompt)
{
    private readonly int[] _endOfTurn = EndOfTurnIds(tokenizer);

    /// <summary>How the stored logprobs of the last encoded sample were used.</summary>
    public enum Alignment
    {
        /// <summary>The sample had no logprobs.</summary>
        None,

        /// <summary>The logprobs map onto token ids and spell the response: top-k targets attached.</summary>
        Aligned,

        /// <summary>The logprobs could not be mapped (another tokenizer, edited text): no top-k targets.</summary>
        Failed,
    }

    /// <summary>Tokenises one sample.</summary>
    /// <exception cref="InvalidDataException">The chat template cannot render it; the message names the sample's location.</exception>
    public TrainingExample Encode(SourceSample sample, out Alignment alignment)
    {
        ArgumentNullException.ThrowIfNull(sample);
        int[] prompt;
        try
        {
            prompt = sample.Mode == TeacherMode.Chat
                ? [.. tokenizer.Encode(tokenizer.ChatTemplate.Render(Messages(sample), addGenerationPrompt: true), addBos: false)]
                : [.. tokenizer.Encode(sample.Prompt, tokenizer.AddBosToken)];
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"{sample.Location}: {ex.Message}", ex);
        }

        alignment = Alignment.None;
        StoredTopK? topK = null;
        int[]? response = null;
        if (sample.Logprobs is { Count: > 0 } logprobs)
        {
            alignment = TryAlign(logprobs, sample.Response, out var aligned, out topK) ? Alignment.Aligned : Alignment.Failed;
            response = aligned;
        }

        response ??= [.. tokenizer.Encode(sample.Response, addBos: false)];
        int[] tail = sample.Mode == TeacherMode.Chat ? _endOfTurn : [];
        return new TrainingExample([.. prompt, .. response, .. tail], prompt.Length, topK);
    }

    private List<ChatTurn> Messages(SourceSample sample)
    {
        var messages = new List<ChatTurn>(2);
        if (!string.IsNullOrEmpty(systemPrompt))
        {
            messages.Add(new ChatTurn("system", systemPrompt));
        }

        var user = string.IsNullOrEmpty(sample.Input) ? sample.Prompt : sample.Prompt + "\n\n" + sample.Input;
        messages.Add(new ChatTurn("user", user));
        return messages;
    }

    private bool TryAlign(IReadOnlyList<TokenLogprob> logprobs, string response, out int[]? ids, out StoredTopK? topK)
    {
        ids = null;
        topK = null;
        var chosen = new int[logprobs.Count];
        var spelled = new List<byte>(response.Length + 8);
        for (var j = 0; j < logprobs.Count; j++)
        {
            if (IdOf(logprobs[j].Bytes, logprobs[j].Token, logprobs[j].TokenId) is not { } id)
            {
                return false;
            }

            chosen[j] = id;
            spelled.AddRange(tokenizer.TokenBytes(id));
        }

        if (!spelled.SequenceEqual(Encoding.UTF8.GetBytes(response)))
        {
            return false;
        }

        var topIds = new int[logprobs.Count][];
        var topLogprobs = new float[logprobs.Count][];
        for (var j = 0; j < logprobs.Count; j++)
        {
            var slots = new List<(int Id, float Logprob)>(logprobs[j].Top.Count);
            foreach (var alternative in logprobs[j].Top)
            {
                if (alternative is not null && !double.IsNaN(alternative.Logprob) && alternative.Logprob <= 0
                    && IdOf(alternative.Bytes, alternative.Token, alternative.TokenId) is { } id && slots.TrueForAll(s => s.Id != id))
                {
                    slots.Add((id, (float)alternative.Logprob));
                }
            }

            topIds[j] = slots.Select(s => s.Id).ToArray();
            topLogprobs[j] = slots.Select(s => s.Logprob).ToArray();
        }

        ids = chosen;
        topK = new StoredTopK(topIds, topLogprobs);
        return true;
    }

    /// <summary>Our id of a stored token: by its bytes (API), else its id when it spells the same text, else by its text.</summary>
    private int? IdOf(IReadOnlyList<byte>? bytes, string token, int? tokenId)
    {
        if (bytes is { Count: > 0 })
        {
            return tokenizer.TokenIdOf(bytes.ToArray());
        }

        var text = Encoding.UTF8.GetBytes(token ?? string.Empty);
        if (tokenId is { } id && id >= 0 && id < tokenizer.VocabSize && tokenizer.TokenBytes(id).AsSpan().SequenceEqual(text))
        {
            return id;
        }

        return text.Length > 0 ? tokenizer.TokenIdOf(text) : null;
    }

    private static int[] EndOfTurnIds(ModelTokenizer tokenizer)
    {
        try
        {
            var end = tokenizer.ChatTemplate.EndOfTurn;
            return end.Length == 0 ? [] : tokenizer.Encode(end, addBos: false).ToArray();
        }
        catch (NotSupportedException)
        {
            return []; // no chat template: only completion samples can be encoded, and they need no end-of-turn
        }
    }
}
