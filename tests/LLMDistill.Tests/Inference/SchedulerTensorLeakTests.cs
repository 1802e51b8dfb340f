using LLMDistill.Checkpoints;
using LLMDistill.Inference;
using LLMDistill.Tests.Model;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Inference;

/// <summary>Runs alone, so the process-wide count of live tensors means something.</summary>
[CollectionDefinition(nameof(SchedulerTensorLeakTests), DisableParallelization = true)]
public sealed class TensorCountGroup;

/// <summary>A long-running server must not leak native tensors: every batch, cache, sampler and scoring pass is freed.</summary>
[Collection(nameof(SchedulerTensorLeakTests))]
public sealed class SchedulerTensorLeakTests
{
    [Fact]
    public async Task ManyMixedRequests_LeaveNoLiveTensorsBehind()
    {
        using var model = HfCheckpoint.Load(ShakespeareReference.Dir("shakespeare-1m"));
        using var scheduler = new GenerationScheduler(model, null, new SchedulerOptions(MaxBatchSize: 6));
        var prompts = ShakespeareReference.Load("shakespeare-1m").SelectMany(r => new[] { r.PromptIds, r.GreedyIds }).Select(p => p.Select(i => (int)i).ToArray()).ToArray();
        await RunAsync(scheduler, prompts, 4); // warm-up: lazily created state (rotary tables, caches of libtorch) is not a leak
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = Tensor.TotalCount;

        await RunAsync(scheduler, prompts, 40);

        Assert.Equal(before, Tensor.TotalCount);
    }

    /// <summary>Concurrent generation (mixed lengths, logprobs, n, sampling, a cancelled caller) and scoring.</summary>
    private static async Task RunAsync(GenerationScheduler scheduler, int[][] prompts, int count)
    {
        using var cancel = new CancellationTokenSource();
        var tasks = Enumerable.Range(0, count).Select<int, Task>(i =>
        {
            var prompt = prompts[i % prompts.Length];
            if (i % 5 == 4)
            {
                return scheduler.ScoreAsync(prompt, i % 3, CancellationToken.None);
            }

            var sampling = new DecodingParameters(MaxNewTokens: 3 + (i % 11), Temperature: i % 2 == 0 ? 0 : 0.8, Seed: i, TopLogprobs: i % 3);
            var requests = Enumerable.Repeat(new GenerationRequest(prompt, sampling), 1 + (i % 2)).ToArray();
            var token = i == 7 ? cancel.Token : CancellationToken.None;
            return scheduler.GenerateAsync(requests, step => { if (i == 7) { cancel.Cancel(); } return false; }, token);
        }).ToArray();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // request 7 cancels itself
        }
    }
}
