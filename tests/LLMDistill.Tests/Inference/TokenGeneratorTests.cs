using LLMDistill.Checkpoints;
using LLMDistill.Inference;
using LLMDistill.Model;
using LLMDistill.Tests.Model;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Inference;

/// <summary>Batching, per-row parameters and seeds, stops, logprobs, streaming and cancellation of <see cref="TokenGenerator"/>.</summary>
public sealed class TokenGeneratorTests : IClassFixture<TokenGeneratorTests.Shakespeare>
{
    private readonly LlamaForCausalLM _model;
    private readonly TokenGenerator _generator;
    private readonly int[][] _prompts;

    public TokenGeneratorTests(Shakespeare fixture)
    {
        _model = fixture.Model;
        _generator = new TokenGenerator(_model, maxBatchSize: 4);
        _prompts = fixture.Prompts;
    }

    [Fact]
    public void Generate_BatchedGreedyWithMixedLengthsAndLimits_EqualsOneAtATime()
    {
        var requests = _prompts.Select((p, i) => new GenerationRequest(p, DecodingParameters.Greedy(6 + (5 * i)))).ToArray();
        var batched = _generator.Generate(requests); // 6 prompts, batches of at most 4, rows finishing at different steps
        for (var i = 0; i < requests.Length; i++)
        {
            var alone = _generator.Generate([requests[i]])[0];
            Assert.Equal(alone.TokenIds, batched[i].TokenIds);
            Assert.Equal(6 + (5 * i), batched[i].Tokens.Count);
            Assert.Equal(FinishReason.Length, batched[i].FinishReason);
        }
    }

    [Fact]
    public void Generate_SeededSampling_DoesNotDependOnTheRestOfTheBatch()
    {
        var sampled = new DecodingParameters(MaxNewTokens: 20, Temperature: 0.9, TopK: 50, TopP: 0.95, Seed: 1234);
        var alone = _generator.Generate([new GenerationRequest(_prompts[0], sampled)])[0];
        var mixed = _generator.Generate([
            new GenerationRequest(_prompts[1], sampled with { Seed = 99, Temperature = 1.3 }),
            new GenerationRequest(_prompts[0], sampled),
            new GenerationRequest(_prompts[2], DecodingParameters.Greedy(3)),
        ]);
        Assert.Equal(alone.TokenIds, mixed[1].TokenIds);
        var reseeded = _generator.Generate([new GenerationRequest(_prompts[0], sampled with { Seed = 4321 })])[0];
        Assert.NotEqual(alone.TokenIds, reseeded.TokenIds);
    }

    [Fact]
    public void Generate_TopKOfOne_EqualsGreedy()
    {
        var greedy = _generator.Generate([new GenerationRequest(_prompts[3], DecodingParameters.Greedy(15))])[0];
        var topOne = _generator.Generate([new GenerationRequest(_prompts[3], new DecodingParameters(15, Temperature: 1.5, TopK: 1, Seed: 5))])[0];
        var tinyP = _generator.Generate([new GenerationRequest(_prompts[3], new DecodingParameters(15, Temperature: 1.5, TopP: 1e-6, Seed: 5))])[0];
        Assert.Equal(greedy.TokenIds, topOne.TokenIds);
        Assert.Equal(greedy.TokenIds, tinyP.TokenIds);
    }

    [Fact]
    public void Generate_StopToken_EndsTheRowAndIsKept()
    {
        var free = _generator.Generate([new GenerationRequest(_prompts[0], DecodingParameters.Greedy(12))])[0];
        var stopId = free.TokenIds[4];
        var firstHit = free.TokenIds.ToList().IndexOf(stopId);
        var stopped = _generator.Generate([new GenerationRequest(_prompts[0], DecodingParameters.Greedy(12) with { StopTokenIds = [stopId] })])[0];
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(free.TokenIds.Take(firstHit + 1), stopped.TokenIds);
    }

    [Fact]
    public void Generate_Logprobs_MatchFullForwardLogSoftmax()
    {
        var parameters = DecodingParameters.Greedy(5) with { TopLogprobs = 3 };
        var result = _generator.Generate([new GenerationRequest(_prompts[1], parameters)])[0];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(result.AllIds.Select(i => (long)i).ToArray()).unsqueeze(0);
        var logp = _model.forward(new CausalLmInput(ids)).Logits!.log_softmax(-1)[0]; // (T, V)
        for (var t = 0; t < result.Tokens.Count; t++)
        {
            var token = result.Tokens[t];
            var position = _prompts[1].Length - 1 + t;
            Assert.Equal(logp[position, token.Id].item<float>(), token.Logprob!.Value, 4);
            Assert.Equal(3, token.TopLogprobs!.Count);
            Assert.Equal(token.Id, token.TopLogprobs[0].Id); // greedy picks the most likely token
            Assert.True(token.TopLogprobs[0].Logprob >= token.TopLogprobs[1].Logprob);
        }

        var plain = _generator.Generate([new GenerationRequest(_prompts[1], DecodingParameters.Greedy(2))])[0];
        Assert.All(plain.Tokens, t => Assert.Null(t.Logprob));
    }

    [Fact]
    public async Task StreamAsync_YieldsTheSameTokensAsGenerate()
    {
        var requests = _prompts.Take(3).Select(p => new GenerationRequest(p, DecodingParameters.Greedy(7))).ToArray();
        var expected = _generator.Generate(requests);
        var streamed = new List<int>[3] { [], [], [] };
        var finished = 0;
        await foreach (var step in _generator.StreamAsync(requests))
        {
            streamed[step.RequestIndex].Add(step.Token.Id);
            finished += step.FinishReason is null ? 0 : 1;
        }

        Assert.Equal(3, finished);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i].TokenIds, streamed[i]);
        }
    }

    [Fact]
    public async Task GenerateAsync_CancelledFromCallback_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var steps = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _generator.GenerateAsync(
            [new GenerationRequest(_prompts[0], DecodingParameters.Greedy(200))],
            _ =>
            {
                if (++steps == 3)
                {
                    cts.Cancel();
                }
            },
            cts.Token));
        Assert.Equal(3, steps);
    }

    [Fact]
    public void Generate_InvalidRequests_NameTheRequest()
    {
        var empty = Assert.Throws<ArgumentException>(() => _generator.Generate([new GenerationRequest([], DecodingParameters.Greedy(1))]));
        Assert.Contains("request 0", empty.Message);
        var outside = Assert.Throws<ArgumentException>(() => _generator.Generate([
            new GenerationRequest([1, 2], DecodingParameters.Greedy(1)), new GenerationRequest([1, 5000], DecodingParameters.Greedy(1))]));
        Assert.Contains("request 1: prompt id 5000 at position 1", outside.Message);
        var topP = Assert.Throws<ArgumentException>(() => _generator.Generate([new GenerationRequest([1], new DecodingParameters(TopP: 0))]));
        Assert.Contains("top-p", topP.Message);
    }

    /// <summary>shakespeare-1m (the smallest real model) and six prompts of different lengths.</summary>
    public sealed class Shakespeare : IDisposable
    {
        public LlamaForCausalLM Model { get; } = HfCheckpoint.Load(ShakespeareReference.Dir("shakespeare-1m"));

        public int[][] Prompts { get; } = ShakespeareReference.Load("shakespeare-1m")
            .SelectMany(r => new[] { r.PromptIds, r.GreedyIds.Skip(5).Take(9).ToArray() })
            .Select(ids => ids.Select(i => (int)i).ToArray()).ToArray();

        public void Dispose() => Model.Dispose();
    }
}
