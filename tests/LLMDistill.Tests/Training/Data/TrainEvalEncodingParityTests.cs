using LLMDistill.Evaluation;
using LLMDistill.Evaluation.Datasets;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Tokenization;
using LLMDistill.Training.Data;

namespace LLMDistill.Tests.Training.Data;

/// <summary>
/// Training and evaluation tokenise a sample identically (system prompt, input joined to the instruction, end of turn,
/// BOS), so evaluation scores exactly the positions training taught.
/// </summary>
public sealed class TrainEvalEncodingParityTests
{
    private static readonly Lazy<ModelTokenizer> Shakespeare = new(() => ModelTokenizer.Load(SharedPaths.Model("shakespeare-1m")));

    // SentencePiece with a BOS added by default and no chat template of its own: the Plain template, closed by EOS.
    private static readonly Lazy<ModelTokenizer> Llama = new(() => ModelTokenizer.Load(SharedPaths.Model("llama2-tokenizer")).WithChatTemplate(new PlainChatTemplate("</s>")));

    public static TheoryData<string, TeacherMode, string?> Cases => new()
    {
        { "shakespeare", TeacherMode.Chat, "Briefly, in verse." },
        { "shakespeare", TeacherMode.Chat, null },
        { "shakespeare", TeacherMode.Chat, "  " },
        { "shakespeare", TeacherMode.Completion, null },
        { "llama", TeacherMode.Chat, "Briefly, in verse." },
        { "llama", TeacherMode.Completion, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainerAndEvaluator_SameSample_ProduceTheSameIds(string tokenizerName, TeacherMode mode, string? input)
    {
        var tokenizer = tokenizerName == "llama" ? Llama.Value : Shakespeare.Value;
        const string instruction = "ROMEO:\nSpeak of the king.";
        const string answer = "My lord, the king is dead.";

        var trained = new TrainingExampleEncoder(tokenizer, null).Encode(new SourceSample("k", mode, instruction, input, answer, null, "train:1"), out _);
        var sample = new EvalSample("k", mode, instruction, input, answer, "eval:1");
        var prompt = EvalSequences.Prompt(tokenizer, sample, new EvalOptions { MaxSequenceLength = 4096 }, "m");
        var evaluated = EvalSequences.Sequence(tokenizer, sample, prompt, 4096, out var truncated)!;

        Assert.False(truncated);
        Assert.Equal(trained.PromptLength, evaluated.PromptLength);
        Assert.Equal(trained.Ids, evaluated.Ids);
        if (mode == TeacherMode.Chat)
        {
            Assert.Equal(tokenizer.EosTokenId, evaluated.Ids[^1]); // both close a chat answer with the end of turn
        }
        else
        {
            Assert.Equal(tokenizer.AddBosToken, evaluated.Ids[0] == tokenizer.BosTokenId); // both add BOS as HF's encode does
        }
    }

    [Fact]
    public void SystemPrompt_IsTheFirstTurnOfEveryChatPrompt()
    {
        var tokenizer = Shakespeare.Value;
        var trained = new TrainingExampleEncoder(tokenizer, "Be brief.").Encode(new SourceSample("k", TeacherMode.Chat, "Name a play.", null, "Hamlet.", null, "t:1"), out _);
        var sample = new EvalSample("k", TeacherMode.Chat, "Name a play.", null, "Hamlet.", "eval:1");
        var options = new EvalOptions { SystemPrompt = "Be brief." };
        var evaluated = EvalSequences.Sequence(tokenizer, sample, EvalSequences.Prompt(tokenizer, sample, options, "m"), options.MaxSequenceLength, out _)!;
        Assert.Equal(trained.Ids, evaluated.Ids); // Eval:SystemPrompt = Train:Data:SystemPrompt: the same ids
        Assert.NotEqual(trained.Ids.Take(trained.PromptLength), EvalSequences.Prompt(tokenizer, sample, new EvalOptions(), "m")); // without it, another prompt

        var rendered = tokenizer.ChatTemplate.Render([new ChatTurn("system", "Be brief."), new ChatTurn("user", "Name a play.")], addGenerationPrompt: true);
        Assert.Equal(tokenizer.Encode(rendered, addBos: false), new SampleEncoder(tokenizer, "Be brief.").Prompt(TeacherMode.Chat, "Name a play.", null));
        Assert.Equal(tokenizer.Encode(rendered, addBos: false), trained.Ids.Take(trained.PromptLength));
    }
}
