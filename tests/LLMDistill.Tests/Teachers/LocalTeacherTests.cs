using System.Text;
using LLMDistill.Teachers;
using LLMDistill.Tests.Model;

namespace LLMDistill.Tests.Teachers;

/// <summary>The <c>local</c> teacher over shakespeare-4m: reference greedy output, logprobs and scores equal to a full forward, batching of concurrent calls.</summary>
public sealed class LocalTeacherTests : IClassFixture<LocalModelFixture>, IDisposable
{
    private readonly LocalModelFixture _fixture;
    private readonly LocalTeacher _teacher;

    public LocalTeacherTests(LocalModelFixture fixture)
    {
        _fixture = fixture;
        _teacher = new LocalTeacher("shakespeare", fixture.Model, maxTopLogprobs: 20, ownsModel: false);
    }

    public void Dispose() => _teacher.Dispose(); // does not own the fixture's model

    private static TeacherRequest Completion(string prompt, int maxTokens, int topLogprobs = 0, float temperature = 0, int n = 1, int? seed = null, IReadOnlyList<string>? stop = null)
        => new(null, prompt, new SamplingParameters(temperature, 1f, maxTokens, seed, stop), topLogprobs, n);

    [Fact]
    public async Task CompleteAsync_GreedyCompletion_ReproducesTheTransformersReference()
    {
        foreach (var reference in ShakespeareReference.Load(LocalModelFixture.ModelName))
        {
            var generated = reference.GreedyIds.Skip(reference.PromptIds.Length).Select(i => (int)i).ToArray();

            var response = await _teacher.CompleteAsync(Completion(reference.Prompt, generated.Length, topLogprobs: 1), CancellationToken.None);

            var choice = Assert.Single(response.Choices);
            Assert.Equal(generated, choice.Logprobs!.Select(t => t.TokenId!.Value));
            Assert.Equal(_fixture.Model.Tokenizer.Decode(generated), choice.Text);
            Assert.Equal("length", choice.FinishReason);
            Assert.Equal(new TokenUsage(reference.PromptIds.Length, generated.Length), response.Usage);
            Assert.Equal("shakespeare-4m", response.Model);
        }
    }

    [Fact]
    public async Task CompleteAsync_TopLogprobs_AreTheFullForwardLogSoftmaxWithIdsAndBytes()
    {
        var tokenizer = _fixture.Model.Tokenizer;
        var prompt = tokenizer.Encode("KING RICHARD:\n");

        var response = await _teacher.CompleteAsync(Completion("KING RICHARD:\n", 12, topLogprobs: 5), CancellationToken.None);

        var tokens = response.Choices[0].Logprobs!;
        var logp = _fixture.LogSoftmax(prompt.Concat(tokens.Select(t => t.TokenId!.Value)).ToArray());
        for (var t = 0; t < tokens.Count; t++)
        {
            var row = logp[prompt.Count - 1 + t];
            var id = tokens[t].TokenId!.Value;
            Assert.Equal(row[id], tokens[t].Logprob, tolerance: 1e-4);
            Assert.Equal(tokenizer.TokenBytes(id), tokens[t].Bytes);
            Assert.Equal(Encoding.UTF8.GetString(tokenizer.TokenBytes(id)), tokens[t].Token);
            var expectedTop = row.Select((v, i) => (v, i)).OrderByDescending(p => p.v).Take(5).ToArray();
            Assert.Equal(expectedTop.Select(p => p.i), tokens[t].Top.Select(a => a.TokenId!.Value));
            Assert.All(tokens[t].Top.Zip(expectedTop), pair => Assert.Equal(pair.Second.v, pair.First.Logprob, tolerance: 1e-4));
            Assert.Equal(id, tokens[t].Top[0].TokenId); // greedy takes the most likely token
        }
    }

    [Fact]
    public async Task ScoreAsync_Continuation_EqualsFullForwardLogSoftmax()
    {
        const string context = "ROMEO:\n";
        const string continuation = "What, my lord? Speak, and I will hear thee.";
        var ids = _fixture.Model.Tokenizer.Encode(context + continuation);
        var contextTokens = _fixture.Model.Tokenizer.Encode(context).Count;
        var logp = _fixture.LogSoftmax(ids);

        var scored = await _teacher.ScoreAsync(context, continuation, 3, CancellationToken.None);

        Assert.Equal(ids.Skip(contextTokens), scored.Select(t => t.TokenId!.Value));
        for (var i = 0; i < scored.Count; i++)
        {
            var position = contextTokens + i;
            Assert.Equal(logp[position - 1][ids[position]], scored[i].Logprob, tolerance: 1e-4);
            Assert.Equal(3, scored[i].Top.Count);
            Assert.Equal(logp[position - 1].Max(), scored[i].Top[0].Logprob, tolerance: 1e-4);
        }

        var unconditional = await _teacher.ScoreAsync("", continuation, 0, CancellationToken.None);
        Assert.Equal(ids.Count - contextTokens - 1, unconditional.Count); // the first token has no context, so no logprob
    }

    [Fact]
    public async Task CompleteAsync_SixteenConcurrentRequests_ShareForwardPasses()
    {
        var prompts = Enumerable.Range(0, 16).Select(i => $"{(i % 2 == 0 ? "ROMEO" : "JULIET")}:\nMy {i} ").ToArray();
        var alone = new List<string>();
        foreach (var prompt in prompts)
        {
            alone.Add((await _teacher.CompleteAsync(Completion(prompt, 16), CancellationToken.None)).Text);
        }

        var before = _fixture.Model.Scheduler.Statistics;
        var together = await Task.WhenAll(prompts.Select(p => _teacher.CompleteAsync(Completion(p, 16), CancellationToken.None)));
        var after = _fixture.Model.Scheduler.Statistics;

        Assert.Equal(alone, together.Select(r => r.Text));
        var passes = after.ForwardPasses - before.ForwardPasses;
        Assert.True(passes * 4 < 16 * 17, $"16 concurrent requests took {passes} forward passes (one at a time: {16 * 17})");
    }

    [Fact]
    public async Task CompleteAsync_ChatOnModelWithoutTemplate_UsesThePlainTemplate()
    {
        var messages = new[] { new ChatTurn("system", "You are a poet."), new ChatTurn("user", "Speak of the moon.") };
        var rendered = "You are a poet.\n\n### Instruction:\nSpeak of the moon.\n\n### Response:\n";

        var chat = await _teacher.CompleteAsync(new TeacherRequest(messages, null, new SamplingParameters(0, 1, 20)), CancellationToken.None);
        var completion = await _teacher.CompleteAsync(Completion(rendered, 20), CancellationToken.None);

        Assert.Equal("plain", _fixture.Model.ChatTemplateName);
        Assert.Equal(completion.Text, chat.Text);
        Assert.Equal(_fixture.Model.Tokenizer.Encode(rendered).Count, chat.Usage.PromptTokens);
    }

    [Fact]
    public async Task CompleteAsync_SeededChoices_AreReproducibleAndDistinct()
    {
        var request = Completion("ROMEO:\n", 24, temperature: 1f, n: 3, seed: 7);

        var first = await _teacher.CompleteAsync(request, CancellationToken.None);
        var again = await _teacher.CompleteAsync(request, CancellationToken.None);
        var reseeded = await _teacher.CompleteAsync(request with { Sampling = request.Sampling with { Seed = 8 } }, CancellationToken.None);

        Assert.Equal(3, first.Choices.Count);
        Assert.Equal(first.Choices.Select(c => c.Text), again.Choices.Select(c => c.Text));
        Assert.Equal(3, first.Choices.Select(c => c.Text).Distinct().Count());
        Assert.NotEqual(first.Choices.Select(c => c.Text), reseeded.Choices.Select(c => c.Text));
        Assert.Equal(72, first.Usage.CompletionTokens);
    }

    [Theory]
    [InlineData(", thou", "What")]
    [InlineData("hou", "What, t")]
    [InlineData("<|eos|>", null)] // a special token's text stops on its id, and the text never contains it
    public async Task CompleteAndStream_StopStrings_EndTheTextBeforeTheMatch(string stop, string? expected)
    {
        var request = Completion("ROMEO:\n", 30, topLogprobs: 1, stop: [stop]);

        var response = await _teacher.CompleteAsync(request, CancellationToken.None);
        var streamed = new StringBuilder();
        var deltas = new List<TeacherStreamDelta>();
        await foreach (var delta in _teacher.StreamAsync(request, CancellationToken.None))
        {
            streamed.Append(delta.Text);
            deltas.Add(delta);
        }

        var choice = response.Choices[0];
        Assert.Equal(expected ?? (await _teacher.CompleteAsync(Completion("ROMEO:\n", 30), CancellationToken.None)).Text, choice.Text);
        Assert.Equal(expected is null ? "length" : "stop", choice.FinishReason);
        Assert.Equal(choice.Text, streamed.ToString());
        Assert.Equal(choice.Logprobs!.Select(t => t.TokenId), deltas.Where(d => d.Logprob is not null).Select(d => d.Logprob!.TokenId));
        Assert.Equal(choice.FinishReason, deltas[^1].FinishReason);
        Assert.Equal(response.Usage, deltas[^1].Usage);
        Assert.All(deltas.SkipLast(1), d => Assert.Null(d.FinishReason));
    }

    [Fact]
    public async Task CompleteAsync_PromptPlusMaxTokensOverContext_IsABadRequest()
    {
        var error = await Assert.ThrowsAsync<TeacherException>(() => _teacher.CompleteAsync(Completion("ROMEO:\n", 600), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.BadRequest, error.Category);
        Assert.False(error.IsTransient);
        Assert.Contains("context is 512 tokens, but the prompt has 3 tokens and 600 were asked for", error.Message);
    }

    [Theory]
    [InlineData(21, 1, "TopLogprobs must be between 0 and 20")]
    [InlineData(0, 0, "N must be between 1 and 128")]
    public async Task CompleteAsync_InvalidParameters_AreBadRequests(int topLogprobs, int n, string expected)
    {
        var error = await Assert.ThrowsAsync<TeacherException>(() => _teacher.CompleteAsync(Completion("ROMEO:\n", 5, topLogprobs, n: n), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.BadRequest, error.Category);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Capabilities_FullLogitsAndBothModes_CacheIdentityIsTheModelFingerprint()
    {
        Assert.Equal(new TeacherCapabilities(true, true, 20, FullLogits: true, StructuredOutput: false), _teacher.Capabilities);
        Assert.Equal(64, _teacher.CacheIdentity.Length);
        Assert.Equal(_fixture.Model.Fingerprint, _teacher.CacheIdentity);
    }
}
