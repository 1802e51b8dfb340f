using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures.OpenAiServer;

namespace LLMDistill.Tests.Teachers;

/// <summary>Token and cost accounting per teacher, and budgets that stop new requests.</summary>
public sealed class AccountingTests
{
    // The fake answers "The quick brown fox." (4 tokens); a one-word user message is 1 + 4 prompt tokens.
    private const int PromptTokens = 5;
    private const int CompletionTokens = 4;

    [Fact]
    public async Task Usage_AfterRequests_AddsUpTokensAndCost()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher(
            "t", server.V1, ("PromptPricePerMillion", "2.5"), ("CompletionPricePerMillion", "10")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            var response = await teacher.CompleteAsync(TeacherTestHost.Chat($"q{i}"), CancellationToken.None);
            Assert.Equal(new TokenUsage(PromptTokens, CompletionTokens), response.Usage);
        }

        var usage = Assert.Single(host.Factory.Usage());
        Assert.Equal("t", usage.Teacher);
        Assert.Equal(3, usage.Requests);
        Assert.Equal(0, usage.CacheHits);
        Assert.Equal(3 * PromptTokens, usage.PromptTokens);
        Assert.Equal(3 * CompletionTokens, usage.CompletionTokens);
        Assert.Equal(((3 * PromptTokens * 2.5m) + (3 * CompletionTokens * 10m)) / 1_000_000m, usage.CostUsd);
        Assert.Equal(usage.CostUsd, host.Factory.TotalCostUsd);
    }

    [Fact]
    public async Task CompleteAsync_TeacherBudgetReached_StopsWithBudgetExhaustedWithoutCallingTheServer()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        const decimal costPerRequest = ((PromptTokens * 1000m) + (CompletionTokens * 1000m)) / 1_000_000m; // 0.009 USD
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher(
            "t", server.V1, ("PromptPricePerMillion", "1000"), ("CompletionPricePerMillion", "1000"), ("BudgetUsd", "0.02")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);

        await teacher.CompleteAsync(TeacherTestHost.Chat("a"), CancellationToken.None);
        await teacher.CompleteAsync(TeacherTestHost.Chat("b"), CancellationToken.None);
        await teacher.CompleteAsync(TeacherTestHost.Chat("c"), CancellationToken.None); // 0.018 < 0.02: still allowed; now 0.027
        var error = await Assert.ThrowsAsync<TeacherException>(() => teacher.CompleteAsync(TeacherTestHost.Chat("d"), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.BudgetExhausted, error.Category);
        Assert.True(error.IsFatal);
        Assert.Contains("Teachers:t:BudgetUsd", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.HitCount);
        Assert.Equal(3 * costPerRequest, Assert.Single(host.Factory.Usage()).CostUsd);
        Assert.Contains(host.Logs.Entries, e => e.EventId == 3007);
    }

    [Fact]
    public async Task StreamAndScore_BudgetReached_AreRefusedToo()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher(
            "t", server.V1, ("Mode", "completion"), ("PromptPricePerMillion", "100000"), ("BudgetUsd", "0.1")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);
        await teacher.CompleteAsync(TeacherTestHost.Completion("spend it all"), CancellationToken.None);

        var streaming = (IStreamingTeacherClient)teacher;
        var streamError = await Assert.ThrowsAsync<TeacherException>(async () =>
        {
            await foreach (var _ in streaming.StreamAsync(TeacherTestHost.Completion("more"), CancellationToken.None))
            {
            }
        });
        var scoreError = await Assert.ThrowsAsync<TeacherException>(() => ((IScoringTeacherClient)teacher).ScoreAsync("a", "b", 0, CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.BudgetExhausted, streamError.Category);
        Assert.Equal(TeacherErrorCategory.BudgetExhausted, scoreError.Category);
        Assert.Equal(1, server.HitCount);
    }

    [Fact]
    public async Task CompleteAsync_OverallBudgetReached_StopsEveryTeacher()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        var settings = TeacherTestHost.OpenAiTeacher("a", server.V1, ("PromptPricePerMillion", "100000"));
        foreach (var (key, value) in TeacherTestHost.OpenAiTeacher("b", server.V1, ("PromptPricePerMillion", "0")))
        {
            settings[key] = value;
        }

        settings["Teachers:TotalBudgetUsd"] = "0.4";
        await using var host = TeacherTestHost.Create(settings);
        var a = await host.Factory.GetAsync("a", CancellationToken.None);
        var b = await host.Factory.GetAsync("b", CancellationToken.None);

        await a.CompleteAsync(TeacherTestHost.Chat("x"), CancellationToken.None); // 5 prompt tokens at 0.1 USD each
        var error = await Assert.ThrowsAsync<TeacherException>(() => b.CompleteAsync(TeacherTestHost.Chat("y"), CancellationToken.None));

        Assert.Equal(TeacherErrorCategory.BudgetExhausted, error.Category);
        Assert.Equal("b", error.Teacher);
        Assert.Contains("Teachers:TotalBudgetUsd", error.Message, StringComparison.Ordinal);
        Assert.Equal(0.5m, host.Factory.TotalCostUsd);
        Assert.Equal(1, server.HitCount);
    }

    [Fact]
    public async Task CompleteAsync_CacheHitsAfterBudget_AreStillServedFree()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher(
            "t", server.V1, ("Cache", "true"), ("PromptPricePerMillion", "100000"), ("BudgetUsd", "0.1")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);
        await teacher.CompleteAsync(TeacherTestHost.Chat("x"), CancellationToken.None);

        var cached = await teacher.CompleteAsync(TeacherTestHost.Chat("x"), CancellationToken.None);

        Assert.True(cached.FromCache);
        var usage = Assert.Single(host.Factory.Usage());
        Assert.Equal((2L, 1L, 0.5m), (usage.Requests, usage.CacheHits, usage.CostUsd));
    }

    [Fact]
    public async Task Usage_ListsEveryEnabledTeacherFromTheStart()
    {
        await using var server = await ScriptedOpenAiServer.StartAsync();
        var settings = TeacherTestHost.OpenAiTeacher("a", server.V1);
        foreach (var (key, value) in TeacherTestHost.OpenAiTeacher("b", server.V1))
        {
            settings[key] = value;
        }

        await using var host = TeacherTestHost.Create(settings);

        Assert.Equal(["a", "b"], host.Factory.Usage().Select(u => u.Teacher).ToList());
        Assert.All(host.Factory.Usage(), u => Assert.Equal(0, u.Requests));
    }
}
