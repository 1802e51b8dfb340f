using LLMDistill.Evaluation.Datasets;
using LLMDistill.Teachers;
using LLMDistill.Tokenization;

namespace LLMDistill.Evaluation;

/// <summary>
/// Evaluation's token ids of a sample: the prompt and response ids of the <see cref="SampleEncoder"/> that training uses
/// (so the scored positions are exactly the response tokens training taught), cut to the evaluation's maximum length.
/// </summary>
internal static class EvalSequences
{
    /// <summary>Prompt ids for generation and teacher forcing (with <see cref="EvalOptions.SystemPrompt"/>), at most <see cref="EvalOptions.MaxSequenceLength"/> − 1 (the oldest ids are cut).</summary>
    /// <exception cref="InvalidOperationException">The model cannot render a chat task; the message names the model and the sample.</exception>
    public static int[] Prompt(ModelTokenizer tokenizer, EvalSample sample, EvalOptions options, string model)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sample);
        int[] ids;
        try
        {
            ids = new SampleEncoder(tokenizer, options.SystemPrompt).Prompt(sample.Mode, sample.Instruction, sample.Input);
        }
        catch (NotSupportedException ex)
        {
            throw new InvalidOperationException($"'{model}' cannot render the chat task {sample.Source}: {ex.Message}", ex);
        }

        var keep = Math.Max(1, options.MaxSequenceLength - 1);
        return ids.Length <= keep ? ids : ids[^keep..];
    }

    /// <summary>The teacher-forced sequence of a sample with a reference, the response cut to fit <paramref name="maxLength"/>; null without a reference.</summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="sample">The sample.</param>
    /// <param name="prompt">Its prompt ids (<see cref="Prompt"/>).</param>
    /// <param name="maxLength">Most ids of prompt + response.</param>
    /// <param name="truncated">Set when the response was cut.</param>
    public static TeacherForced.TokenizedSequence? Sequence(ModelTokenizer tokenizer, EvalSample sample, int[] prompt, int maxLength, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(prompt);
        truncated = false;
        if (sample.Reference is null)
        {
            return null;
        }

        var response = new SampleEncoder(tokenizer).Response(sample.Mode, sample.Reference);
        if (response.Length == 0)
        {
            return null;
        }

        var room = maxLength - prompt.Length;
        truncated = response.Length > room;
        return new TeacherForced.TokenizedSequence([.. prompt, .. response.Take(room)], prompt.Length);
    }
}
