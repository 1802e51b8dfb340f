using System.Diagnostics.CodeAnalysis;
using System.Text;
using LLMDistill.Teachers;
using LLMDistill.Tokenization;

namespace LLMDistill.Training.Data;

/// <summary>
/// Turns samples into training examples: prompt and response ids come from the <see cref="SampleEncoder"/> that
/// evaluation uses too, so the loss mask is exact and evaluation scores the positions training saw. On top of it, stored
/// logprobs are mapped onto token ids through their bytes; when every chosen token maps and the tokens spell the
/// response, the response ids are the teacher's own tokens and their top-k become targets.
/// </summary>
internal sealed class TrainingExampleEncoder(ModelTokenizer tokenizer, string? systemPrompt)
{
    private readonly SampleEncoder _encoder = new(tokenizer, systemPrompt);

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
            prompt = _encoder.Prompt(sample.Mode, sample.Prompt, sample.Input);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"{sample.Location}: {ex.Message}", ex);
        }

        alignment = Alignment.None;
        if (sample.Logprobs is { Count: > 0 } logprobs)
        {
            if (TryAlign(logprobs, sample.Response, out var aligned, out var topK))
            {
                alignment = Alignment.Aligned;
                return new TrainingExample([.. prompt, .. aligned, .. _encoder.EndOfTurn(sample.Mode)], prompt.Length, topK);
            }

            alignment = Alignment.Failed;
        }

        return new TrainingExample([.. prompt, .. _encoder.Response(sample.Mode, sample.Response)], prompt.Length, null);
    }

    private bool TryAlign(IReadOnlyList<TokenLogprob> logprobs, string response, [NotNullWhen(true)] out int[]? ids, [NotNullWhen(true)] out StoredTopK? topK)
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
}
