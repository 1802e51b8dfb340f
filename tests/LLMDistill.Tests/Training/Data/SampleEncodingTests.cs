using System.Text;
using LLMDistill.Losses;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Tokenization;
using LLMDistill.Training.Data;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Training.Data;

public sealed class SampleEncodingTests
{
    private static readonly ModelTokenizer Tokenizer = ModelTokenizer.Load(SharedPaths.Model("shakespeare-1m"));

    [Fact]
    public void Encode_ChatSample_PromptIsTheRenderedTemplateAndResponseEndsWithEndOfTurn()
    {
        var sample = Chat("Speak of kings.", "ROMEO: My lord, the king is dead.");

        var example = new TrainingExampleEncoder(Tokenizer, null).Encode(sample, out var alignment);

        var prompt = Tokenizer.Encode(Tokenizer.ChatTemplate.Render([new ChatTurn("user", "Speak of kings.")], addGenerationPrompt: true));
        var response = Tokenizer.Encode("ROMEO: My lord, the king is dead.").Concat(Tokenizer.Encode(Tokenizer.ChatTemplate.EndOfTurn)).ToArray();
        Assert.Equal(TrainingExampleEncoder.Alignment.None, alignment);
        Assert.Equal(prompt.Count, example.PromptLength);
        Assert.Equal(prompt.Concat(response), example.Ids);
        Assert.Equal(Tokenizer.EosTokenId, example.Ids[^1]);
    }

    [Fact]
    public void Build_PackedChatSamples_LabelsOnlyResponseTokensAndNeverAcrossSamples()
    {
        var encoder = new TrainingExampleEncoder(Tokenizer, "Be brief.");
        var first = encoder.Encode(Chat("Name a play.", "Hamlet."), out _);
        var second = encoder.Encode(Chat("Who wrote it?", "Shakespeare, my lord."), out _);

        using var scope = NewDisposeScope();
        var batch = BatchBuilder.Build([[first, second]], padId: 0, topKSlots: 0, CPU);

        var labels = batch.Labels.data<long>().ToArray();
        var expected = Enumerable.Repeat(DistillationLosses.IgnoreIndex, labels.Length).ToArray();
        var offset = 0;
        foreach (var example in new[] { first, second })
        {
            for (var i = example.PromptLength - 1; i < example.Length - 1; i++)
            {
                expected[offset + i] = example.Ids[i + 1]; // position i predicts response token i + 1
            }

            offset += example.Length;
        }

        Assert.Equal(expected, labels);
        Assert.Equal(first.TargetCount + second.TargetCount, batch.Targets);
        Assert.NotNull(batch.AttentionMask);
        Assert.Equal(Enumerable.Range(0, first.Length).Concat(Enumerable.Range(0, second.Length)).Select(i => (long)i), batch.PositionIds!.data<long>().ToArray());
    }

    [Fact]
    public void Encode_LogprobsSpellingTheResponse_AttachesTopKAtTheResponsePositions()
    {
        const string response = "KING: Peace, ho!";
        var ids = Tokenizer.Encode(response);
        var logprobs = ids.Select(id => Logprob(id, -0.25, (id + 7) % Tokenizer.VocabSize, -2.0)).ToList();
        var sample = Chat("Say it.", response) with { Logprobs = logprobs };

        var example = new TrainingExampleEncoder(Tokenizer, null).Encode(sample, out var alignment);

        Assert.Equal(TrainingExampleEncoder.Alignment.Aligned, alignment);
        Assert.NotNull(example.TopK);
        using var scope = NewDisposeScope();
        var batch = BatchBuilder.Build([[example]], padId: 0, topKSlots: 2, CPU);
        for (var j = 0; j < ids.Count; j++)
        {
            var position = example.PromptLength + j - 1; // where response token j is predicted
            Assert.Equal(ids[j], batch.TopIds![0, position, 0].item<long>());
            Assert.Equal((ids[j] + 7) % Tokenizer.VocabSize, batch.TopIds[0, position, 1].item<long>());
            Assert.Equal(-2.0f, batch.TopLogprobs![0, position, 1].item<float>());
            Assert.True(batch.TopMask![0, position, 0].item<bool>());
        }

        Assert.False(batch.TopMask![0, example.Length - 2, 0].item<bool>()); // the end-of-turn token has no stored distribution
        Assert.Equal(0, batch.TopMask.narrow(1, 0, example.PromptLength - 1).sum().item<long>());
    }

    [Fact]
    public void Encode_LogprobsOfAnotherText_FallBackToTheTokenizerWithoutTopK()
    {
        var logprobs = Tokenizer.Encode("something else").Select(id => Logprob(id, -0.1, id, -0.1)).ToList();
        var sample = Chat("Say it.", "KING: Peace, ho!") with { Logprobs = logprobs };

        var example = new TrainingExampleEncoder(Tokenizer, null).Encode(sample, out var alignment);

        Assert.Equal(TrainingExampleEncoder.Alignment.Failed, alignment);
        Assert.Null(example.TopK);
        Assert.Equal(Tokenizer.Encode("KING: Peace, ho!"), example.Ids.Skip(example.PromptLength).Take(example.TargetCount - 1));
    }

    [Fact]
    public void Encode_CompletionSample_HasNoEndOfTurn()
    {
        var sample = new SourceSample("k", TeacherMode.Completion, "ROMEO:\n", null, "O, she doth teach", null, "x:1");

        var example = new TrainingExampleEncoder(Tokenizer, null).Encode(sample, out _);

        Assert.Equal(Tokenizer.Encode("ROMEO:\n").Concat(Tokenizer.Encode("O, she doth teach")), example.Ids);
    }

    [Fact]
    public void Truncate_LongerThanARow_CutsTheResponseAndDropsWhenNoTargetRemains()
    {
        var example = new TrainingExample([1, 2, 3, 4, 5, 6], PromptLength: 3);

        Assert.Equal([1, 2, 3, 4], example.Truncate(4)!.Ids);
        Assert.Null(example.Truncate(3));
        Assert.Same(example, example.Truncate(6));
    }

    private static SourceSample Chat(string instruction, string response) => new("k", TeacherMode.Chat, instruction, null, response, null, "test:1");

    private static TokenLogprob Logprob(int id, double logprob, int alternative, double alternativeLogprob)
    {
        var bytes = Tokenizer.TokenBytes(id);
        var other = Tokenizer.TokenBytes(alternative);
        return new TokenLogprob(
            Encoding.UTF8.GetString(bytes),
            bytes,
            logprob,
            [new TopLogprob(Encoding.UTF8.GetString(bytes), bytes, logprob), new TopLogprob(Encoding.UTF8.GetString(other), other, alternativeLogprob)]);
    }
}
