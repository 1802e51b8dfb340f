using LLMDistill.Evaluation.Datasets;
using LLMDistill.Teachers;
using LLMDistill.Tokenization;

namespace LLMDistill.Evaluation;

/// <summary>
/// Turns samples into token ids for one tokenizer, as training does: the prompt (a chat task rendered with the chat
/// template and its generation prompt, or the raw text of a completion) and the response (answer + end of turn for
/// chat) are encoded separately and concatenated, so the scored positions are exactly the response tokens.
/// </summary>
internal static class SampleEncoder
{
    /// <summary>Prompt ids for generation and teacher forcing, at most <paramref name="maxLength"/> − 1 (the oldest ids are cut).</summary>
    public static int[] Prompt(ModelTokenizer tokenizer, EvalSample sample, int maxLength, string model)
    {
        IReadOnlyList<int> ids;
        if (sample.Mode == TeacherMode.Chat)
        {
            ChatTemplate template;
            try
            {
                template = tokenizer.ChatTemplate;
            }
            catch (NotSupportedException ex)
            {
                throw new InvalidOperationException($"'{model}' cannot render the chat task {sample.Source}: {ex.Message}", ex);
            }

            ids = tokenizer.Encode(template.Render([new ChatTurn("user", sample.UserMessage)], addGenerationPrompt: true), addBos: false);
        }
        else
        {
            ids = tokenizer.Encode(sample.Instruction, tokenizer.AddBosToken);
        }

        var keep = Math.Max(1, maxLength - 1);
        return ids.Count <= keep ? [.. ids] : [.. ids.Skip(ids.Count - keep)];
    }

    /// <summary>The teacher-forced sequence of a sample with a reference, the response cut to fit <paramref name="maxLength"/>; null without a reference.</summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="sample">The sample.</param>
    /// <param name="prompt">Its prompt ids (<see cref="Prompt"/>).</param>
    /// <param name="maxLength">Most ids of prompt + response.</param>
    /// <param name="truncated">Set when the response was cut.</param>
    public static TeacherForced.TokenizedSequence? Sequence(ModelTokenizer tokenizer, EvalSample sample, int[] prompt, int maxLength, out bool truncated)
    {
        truncated = false;
        if (sample.Reference is null)
        {
            return null;
        }

        var text = sample.Mode == TeacherMode.Chat ? sample.Reference + tokenizer.ChatTemplate.EndOfTurn : sample.Reference;
        var response = tokenizer.Encode(text, addBos: false);
        if (response.Count == 0)
        {
            return null;
        }

        var room = maxLength - prompt.Length;
        truncated = response.Count > room;
        return new TeacherForced.TokenizedSequence([.. prompt, .. response.Take(room)], prompt.Length);
    }
}
