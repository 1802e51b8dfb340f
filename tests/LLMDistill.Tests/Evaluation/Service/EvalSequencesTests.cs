using LLMDistill.Evaluation;
using LLMDistill.Evaluation.Datasets;
using LLMDistill.Teachers;
using LLMDistill.Tokenization;

namespace LLMDistill.Tests.Evaluation.Service;

/// <summary>Samples are encoded as training encodes them: prompt and response separately, chat answers closed by the end of turn.</summary>
public sealed class EvalSequencesTests
{
    private static readonly ModelTokenizer Tokenizer = ModelTokenizer.Load(EvalFixtures.Large);

    [Fact]
    public void Chat_PromptIsTheRenderedTaskAndTheResponseEndsWithEndOfTurn()
    {
        var sample = new EvalSample("1", TeacherMode.Chat, "Greet the king.", "Briefly.", "Hail, my liege!", "f:1");

        var prompt = EvalSequences.Prompt(Tokenizer, sample, new EvalOptions { MaxSequenceLength = 1024 }, "m");
        var sequence = EvalSequences.Sequence(Tokenizer, sample, prompt, 1024, out var truncated)!;

        var rendered = Tokenizer.ChatTemplate.Render([new ChatTurn("user", "Greet the king.\n\nBriefly.")], addGenerationPrompt: true);
        Assert.Equal(Tokenizer.Encode(rendered), prompt);
        Assert.Equal([.. prompt, .. Tokenizer.Encode("Hail, my liege!"), Tokenizer.EosTokenId!.Value], sequence.Ids);
        Assert.Equal(prompt.Length, sequence.PromptLength);
        Assert.False(truncated);
    }

    [Fact]
    public void Completion_ResponseIsCutToTheMaximumLengthAndLongPromptsKeepTheirEnd()
    {
        var sample = new EvalSample("1", TeacherMode.Completion, "ROMEO:\n", null, "But soft, what light through yonder window breaks?", "f:1");
        var prompt = EvalSequences.Prompt(Tokenizer, sample, new EvalOptions { MaxSequenceLength = 1024 }, "m");
        Assert.Equal(Tokenizer.Encode("ROMEO:\n"), prompt);

        var sequence = EvalSequences.Sequence(Tokenizer, sample, prompt, prompt.Length + 3, out var truncated)!;
        Assert.True(truncated);
        Assert.Equal(3, sequence.ResponseLength);

        var longPrompt = EvalSequences.Prompt(Tokenizer, sample with { Instruction = string.Concat(Enumerable.Repeat("ROMEO: ", 50)) }, new EvalOptions { MaxSequenceLength = 10 }, "m");
        Assert.Equal(9, longPrompt.Length);
        Assert.Null(EvalSequences.Sequence(Tokenizer, sample with { Reference = null }, prompt, 1024, out _));
    }
}
