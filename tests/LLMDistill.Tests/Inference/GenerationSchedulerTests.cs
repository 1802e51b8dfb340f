using LLMDistill.Inference;
using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Inference;

/// <summary>Concurrent callers sharing forward passes through <see cref="GenerationScheduler"/>: continuous vs dynamic batching, cancellation, failures, limits, scoring.</summary>
public sealed class GenerationSchedulerTests : IClassFixture<TokenGeneratorTests.Shakespeare>
{
    private readonly LlamaForCausalLM _model;
    private readonly int[][] _prompts;
    private readonly TokenGenerator _alone;

    public GenerationSchedulerTests(TokenGeneratorTests.Shakespeare fixture)
    {
        _model = fixture.Model;
        _prompts = fixture.Prompts;
        _alone = new TokenGenerator(_model, maxBatchSize: 1);
    }

    [Fact]
    public async Task GenerateAsync_SixteenConcurrentCallers_ShareForwardPassesAndMatchOneAtATime()
    {
        var requests = Enumerable.Range(0, 16).Select(i => new GenerationRequest(_prompts[i % _prompts.Length], DecodingParameters.Greedy(12 + (i % 5)) with { StopTokenIds = [] })).ToArray();
        var expected = requests.Select(r => _alone.Generate([r])[0]).ToArray();
        using var scheduler = new GenerationScheduler(_model, null, new SchedulerOptions(MaxBatchSize: 16));

        var results = await Task.WhenAll(requests.Select(r => scheduler.GenerateAsync([r], null, CancellationToken.None)));

        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal(expected[i].TokenIds, Assert.Single(results[i]).TokenIds);
        }

        var stats = scheduler.Statistics;
        var oneAtATime = requests.Sum(r => r.Sampling.MaxNewTokens + 1); // a prefill and a step per token each
        Assert.True(stats.ForwardPasses * 4 < oneAtATime, $"{stats.ForwardPasses} forward passes for 16 requests (one at a time: {oneAtATime})");
        Assert.True(stats.MaxLiveRows >= 8, $"at most {stats.MaxLiveRows} rows were decoded together");
        Assert.Equal(16, stats.Requests);
        Assert.Equal(requests.Sum(r => (long)r.Sampling.MaxNewTokens), stats.GeneratedTokens);
    }

    [Theory]
    [InlineData(BatchingMode.Continuous, true)]
    [InlineData(BatchingMode.Dynamic, false)]
    public async Task GenerateAsync_RequestArrivingMidBatch_JoinsOnlyInContinuousMode(BatchingMode mode, bool joinsRunningBatch)
    {
        var longRequest = new GenerationRequest(_prompts[0], DecodingParameters.Greedy(60) with { StopTokenIds = [] });
        var lateRequest = new GenerationRequest(_prompts[1].Concat(_prompts[3]).Concat(_prompts[5]).ToArray(), DecodingParameters.Greedy(5) with { StopTokenIds = [] }); // longer than the running cache
        var expectedLong = _alone.Generate([longRequest])[0].TokenIds;
        var expectedLate = _alone.Generate([lateRequest])[0].TokenIds;
        using var scheduler = new GenerationScheduler(_model, null, new SchedulerOptions(MaxBatchSize: 4, Mode: mode, BatchWindow: TimeSpan.FromMilliseconds(1)));
        var longTokens = 0;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var longTokensWhenLateFinished = -1;

        var longTask = scheduler.GenerateAsync([longRequest], step =>
        {
            if (++longTokens == 5)
            {
                started.SetResult();
            }

            return false;
        }, CancellationToken.None);
        await started.Task;
        var late = await scheduler.GenerateAsync([lateRequest], step =>
        {
            if (step.FinishReason is not null)
            {
                longTokensWhenLateFinished = longTokens; // both observers run on the decoding thread
            }

            return false;
        }, CancellationToken.None);

        Assert.Equal(expectedLate, late[0].TokenIds);
        Assert.Equal(expectedLong, (await longTask)[0].TokenIds);
        if (joinsRunningBatch)
        {
            Assert.InRange(longTokensWhenLateFinished, 6, 59);
        }
        else
        {
            Assert.Equal(60, longTokensWhenLateFinished);
        }
    }

    [Fact]
    public async Task GenerateAsync_OneCallerCancels_OthersFinish()
    {
        using var scheduler = new GenerationScheduler(_model, null, new SchedulerOptions(MaxBatchSize: 8));
        using var cancel = new CancellationTokenSource();
        var steps = 0;
        var doomed = scheduler.GenerateAsync([new GenerationRequest(_prompts[0], DecodingParameters.Greedy(200))], _ =>
        {
            if (++steps == 3)
            {
                cancel.Cancel();
            }

            return false;
        }, cancel.Token);
        var survivor = scheduler.GenerateAsync([new GenerationRequest(_prompts[2], DecodingParameters.Greedy(30) with { StopTokenIds = [] })], null, CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => doomed);
        Assert.Equal(30, (await survivor)[0].Tokens.Count);
        Assert.InRange(steps, 3, 4);
    }

    [Fact]
    public async Task GenerateAsync_ObserverThrowsOrStops_AffectsOnlyItsOwnRow()
    {
        using var scheduler = new GenerationScheduler(_model, null, new SchedulerOptions());
        var secondRowSteps = 0;
        var failing = scheduler.GenerateAsync([new GenerationRequest(_prompts[0], DecodingParameters.Greedy(20))], _ => throw new InvalidDataException("observer broke"), CancellationToken.None);
        var stopped = scheduler.GenerateAsync(
            [new GenerationRequest(_prompts[1], DecodingParameters.Greedy(20) with { StopTokenIds = [] }), new GenerationRequest(_prompts[1], DecodingParameters.Greedy(20) with { StopTokenIds = [] })],
            step => step.RequestIndex == 1 && ++secondRowSteps == 4, // ends the second row early, as a stop string would
            CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => failing);
        var results = await stopped;

        Assert.Equal("observer broke", error.Message);
        Assert.Equal(20, results[0].Tokens.Count);
        Assert.Equal(FinishReason.Length, results[0].FinishReason);
        Assert.Equal(4, results[1].Tokens.Count);
        Assert.Equal(FinishReason.Stop, results[1].FinishReason);
        Assert.Equal(results[0].TokenIds.Take(4), results[1].TokenIds);
    }

    [Fact]
    public async Task GenerateAsync_QueueFull_FailsFastWithOverloaded()
    {
        using var gate = new ManualResetEventSlim();
        using var scheduler = new GenerationScheduler(_model, null, new SchedulerOptions(MaxBatchSize: 1, MaxQueuedRows: 2));
        var blocking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = scheduler.GenerateAsync([new GenerationRequest(_prompts[0], DecodingParameters.Greedy(3))], _ =>
        {
            blocking.TrySetResult();
            gate.Wait(); // holds the decoding thread, so nothing else is admitted
            return false;
        }, CancellationToken.None);
        await blocking.Task;
        var two = scheduler.GenerateAsync([new GenerationRequest(_prompts[1], DecodingParameters.Greedy(2)), new GenerationRequest(_prompts[2], DecodingParameters.Greedy(2))], null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<SchedulerOverloadedException>(() => scheduler.GenerateAsync([new GenerationRequest(_prompts[3], DecodingParameters.Greedy(2))], null, CancellationToken.None));

        gate.Set();
        Assert.Contains("more than 2 sequences are waiting", error.Message);
        Assert.Equal(3, (await first)[0].Tokens.Count);
        Assert.Equal(2, (await two).Count);
    }

    [Fact]
    public async Task Dispose_WaitingAndRunningRequests_FailWithObjectDisposed()
    {
        using var gate = new ManualResetEventSlim();
        var scheduler = new GenerationScheduler(_model, null, new SchedulerOptions(MaxBatchSize: 1));
        var blocking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = scheduler.GenerateAsync([new GenerationRequest(_prompts[0], DecodingParameters.Greedy(200))], _ =>
        {
            blocking.TrySetResult();
            gate.Wait();
            return false;
        }, CancellationToken.None);
        await blocking.Task;
        var waiting = scheduler.GenerateAsync([new GenerationRequest(_prompts[1], DecodingParameters.Greedy(200))], null, CancellationToken.None);

        var disposing = Task.Run(scheduler.Dispose);
        while (!IsDisposed(scheduler))
        {
            await Task.Delay(1);
        }

        gate.Set();
        await disposing;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => running);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => scheduler.ScoreAsync([1, 2], 0, CancellationToken.None));
    }

    [Fact]
    public async Task ScoreAsync_ConcurrentSequences_EqualFullForwardLogSoftmax()
    {
        using var scheduler = new GenerationScheduler(_model, null, new SchedulerOptions(MaxScoringTokens: 64));
        var sequences = _prompts.Take(4).ToArray();

        var scores = await Task.WhenAll(sequences.Select((ids, i) => scheduler.ScoreAsync(ids, topLogprobs: i, CancellationToken.None)));

        Assert.InRange(scheduler.Statistics.ScoringPasses, 1, 3);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (var s = 0; s < sequences.Length; s++)
        {
            var ids = sequences[s];
            var logp = _model.forward(new CausalLmInput(tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0))).Logits!.log_softmax(-1)[0]; // (T, V)
            Assert.Equal(ids, scores[s].Select(t => t.Id));
            Assert.Null(scores[s][0].Logprob);
            for (var t = 1; t < ids.Length; t++)
            {
                Assert.Equal(logp[t - 1, ids[t]].item<float>(), scores[s][t].Logprob!.Value, tolerance: 1e-4);
                var top = scores[s][t].TopLogprobs ?? [];
                Assert.Equal(s, top.Count);
                if (s > 0)
                {
                    Assert.Equal(logp[t - 1].argmax().item<long>(), top[0].Id);
                    Assert.Equal(logp[t - 1].max().item<float>(), top[0].Logprob, tolerance: 1e-4);
                }
            }
        }
    }

    private static bool IsDisposed(GenerationScheduler scheduler)
    {
        try
        {
            _ = scheduler.ScoreAsync([1], 0, new CancellationToken(canceled: true)); // a probe that is dropped unscored
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}
