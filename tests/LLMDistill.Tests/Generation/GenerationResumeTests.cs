using System.Text;
using System.Text.Json;
using LLMDistill.Data;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Generation;

public sealed class GenerationResumeTests
{
    [Theory]
    [InlineData(11)]
    [InlineData(23)]
    [InlineData(37)]
    [InlineData(58)]
    public async Task RunAsync_CancelledAtRandomPointsThenResumed_EqualsUninterruptedRunAsSet(int seed)
    {
        using var reference = new GenerationHarness();
        var expected = await Canonical((await reference.RunAsync(reference.Options(target: 30), GenerationHarness.Teachers())).OutputDirectory);

        using var harness = new GenerationHarness();
        var random = new Random(seed);
        var partial = new List<int>();
        for (var interruption = 0; interruption < 3; interruption++)
        {
            using var cts = new CancellationTokenSource();
            var teachers = GenerationHarness.Teachers(jitterSeed: seed + interruption);
            // The first interruption lands mid-run (the judge is called once per sample, 30 times at least); later ones anywhere.
            var victim = teachers[interruption == 0 ? "judge" : new[] { "expander", "answerer", "judge" }[random.Next(3)]];
            var stopAt = interruption == 0 ? 20 + random.Next(6) : 1 + random.Next(12);
            victim.BeforeCall = call =>
            {
                if (call == stopAt)
                {
                    cts.Cancel();
                }
            };
            try
            {
                await harness.RunAsync(harness.Options(target: 30), teachers, cancellationToken: cts.Token);
            }
            catch (OperationCanceledException)
            {
                // interrupted, as intended; the next iteration resumes
            }

            partial.Add(Directory.Exists(harness.Output()) ? (await GenerationHarness.SamplesAsync(harness.Output())).Count : 0);
            TearLastLines(harness.Output(), random);
        }

        Assert.True(partial[0] is > 0 and < 30, $"seed {seed}: samples after each interruption {string.Join(",", partial)}"); // a partial dataset to resume

        var result = await harness.RunAsync(harness.Options(target: 30), GenerationHarness.Teachers(jitterSeed: seed + 100));
        Assert.True(result.Manifest.Complete);
        var actual = await Canonical(result.OutputDirectory);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
        var rejected = await GenerationHarness.RejectedAsync(result.OutputDirectory);
        Assert.Equal(rejected.Count, rejected.Select(r => r.Key).Distinct().Count());
        Assert.Equal(result.Manifest.Counts["kept"] + result.Manifest.Counts["rejected"], result.Manifest.Counts["candidates"]);
    }

    [Fact]
    public async Task RunAsync_StopWithGracePeriod_FinishesInFlightWorkAndResumesToTheSameSet()
    {
        using var reference = new GenerationHarness();
        var expected = await Canonical((await reference.RunAsync(reference.Options(target: 30), GenerationHarness.Teachers())).OutputDirectory);
        using var harness = new GenerationHarness();
        using var cts = new CancellationTokenSource();
        var teachers = GenerationHarness.Teachers();
        var stoppedAt = 0L;
        teachers["answerer"].BeforeCall = call =>
        {
            if (call == 12)
            {
                stoppedAt = teachers["judge"].Calls;
                cts.Cancel();
            }
        };
        var options = harness.Options(target: 30);
        options.Pipeline.ShutdownGraceSeconds = 30;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.RunAsync(options, teachers, cancellationToken: cts.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "a graceful stop must not wait for the whole grace period when in-flight work is done");
        Assert.True(teachers["judge"].Calls > stoppedAt, "in-flight answers were still judged after the stop");
        var manifest = DatasetDirectory.TryReadManifest(harness.Output())!;
        Assert.False(manifest.Complete);
        var resumed = await harness.RunAsync(harness.Options(target: 30), GenerationHarness.Teachers());
        Assert.Equal(expected, await Canonical(resumed.OutputDirectory));
    }

    [Fact]
    public async Task RunAsync_TornLastLines_AreRepairedAndResumed()
    {
        using var harness = new GenerationHarness();
        using var cts = new CancellationTokenSource();
        var teachers = GenerationHarness.Teachers();
        teachers["judge"].BeforeCall = call =>
        {
            if (call == 25)
            {
                cts.Cancel();
            }
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.RunAsync(harness.Options(target: 30), teachers, cancellationToken: cts.Token));
        var shards = DatasetDirectory.FindSampleFiles(harness.Output());
        var before = (await GenerationHarness.SamplesAsync(harness.Output())).Count;
        Assert.True(before > 0);
        File.AppendAllText(shards[^1], "{\"id\":\"torn\",\"mode\":\"chat\",\"instr");
        File.AppendAllText(Path.Combine(harness.Output(), "rejected.jsonl"), "{\"key\":\"x9");

        var second = GenerationHarness.Teachers();
        var result = await harness.RunAsync(harness.Options(target: 30), second);

        var samples = await GenerationHarness.SamplesAsync(result.OutputDirectory);
        Assert.Equal(30, samples.Count);
        Assert.DoesNotContain(samples, s => s.Id == "torn");
        var requests = teachers.Usage().Concat(second.Usage()).Sum(u => u.Requests);
        Assert.Equal(requests, result.Manifest.Usage.Sum(u => u.Requests)); // usage adds up over both attempts
        foreach (var file in DatasetDirectory.FindSampleFiles(result.OutputDirectory).Append(Path.Combine(result.OutputDirectory, "rejected.jsonl")))
        {
            Assert.EndsWith("\n", File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_ChangedConfig_IsRefusedUnlessRestart()
    {
        using var harness = new GenerationHarness();
        await harness.RunAsync(harness.Options(target: 12), GenerationHarness.Teachers());
        var changed = harness.Options(target: 12);
        changed.Filter.MinScore = 0.3;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.RunAsync(changed, GenerationHarness.Teachers()));
        Assert.Contains("different configuration", error.Message, StringComparison.Ordinal);
        Assert.Contains("options", error.Message, StringComparison.Ordinal);
        Assert.Contains("--restart", error.Message, StringComparison.Ordinal);

        var restarted = await harness.RunAsync(changed, GenerationHarness.Teachers(), restart: true);
        Assert.True(restarted.Manifest.Complete);
        Assert.All(await GenerationHarness.SamplesAsync(restarted.OutputDirectory), s => Assert.True(s.Scores!.Combined >= 0.3));
    }

    [Fact]
    public async Task RunAsync_OnlySpeedSettingsChanged_ResumesButChangedTemplateIsRefused()
    {
        using var harness = new GenerationHarness();
        var prompts = Path.Combine(harness.Root, "prompts");
        Directory.CreateDirectory(prompts);
        foreach (var file in Directory.GetFiles(Path.Combine(SharedPaths.RepoRoot, "prompts"), "*.md"))
        {
            File.Copy(file, Path.Combine(prompts, Path.GetFileName(file)));
        }

        var options = harness.Options(target: 8);
        options.PromptsDirectory = "prompts";
        await harness.RunAsync(options, GenerationHarness.Teachers());

        var faster = harness.Options(target: 8);
        faster.PromptsDirectory = "prompts";
        faster.Pipeline.AnswerParallelism = 1;
        faster.Pipeline.ReorderWindow = 3;
        faster.Pipeline.ShardSize = 2;
        Assert.True((await harness.RunAsync(faster, GenerationHarness.Teachers())).AlreadyComplete);

        File.AppendAllText(Path.Combine(prompts, "answer.md"), "\nBe brief.");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.RunAsync(options, GenerationHarness.Teachers()));
        Assert.Contains("changed: templates", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CompleteDirectory_DoesNothing()
    {
        using var harness = new GenerationHarness();
        await harness.RunAsync(harness.Options(target: 10), GenerationHarness.Teachers());
        var teachers = GenerationHarness.Teachers();

        var again = await harness.RunAsync(harness.Options(target: 10), teachers);

        Assert.True(again.AlreadyComplete);
        Assert.All(teachers.Usage(), u => Assert.Equal(0, u.Requests));
    }

    private static async Task<List<string>> Canonical(string directory)
        => (await GenerationHarness.SamplesAsync(directory))
            .Select(s => JsonSerializer.Serialize(s, DatasetJson.Default.DistillationSample))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static void TearLastLines(string directory, Random random)
    {
        // What kill -9 in the middle of a write leaves: a partial last line.
        foreach (var file in DatasetDirectory.FindSampleFiles(directory).TakeLast(1).Append(Path.Combine(directory, "rejected.jsonl")))
        {
            if (File.Exists(file) && random.Next(2) == 0)
            {
                File.AppendAllText(file, "{\"id\":\"partial", Encoding.UTF8);
            }
        }
    }
}
