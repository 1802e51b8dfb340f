using System.Collections.Concurrent;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures.OpenAiServer;

namespace LLMDistill.Tests.Teachers;

/// <summary>
/// Many concurrent requests, each meeting its own fault: every one ends in success or a categorised
/// <see cref="TeacherException"/>, transient faults are retried, and nothing non-transient is sent twice.
/// </summary>
public sealed class FaultMixTests
{
    private sealed record Case(string Name, Func<int, ScriptedReply> Reply, TeacherErrorCategory? Expected, int Hits);

    private static readonly ScriptedReply Ok = ScriptedReply.Answer("fine");

    private static readonly Case[] Cases =
    [
        new("ok", _ => Ok, null, 1),
        new("429-then-ok", hit => hit == 1 ? ScriptedReply.Error(429).WithHeader("retry-after-ms", "50") : Ok, null, 2),
        new("500-then-ok", hit => hit == 1 ? ScriptedReply.Error(500) : Ok, null, 2),
        new("503-twice-then-ok", hit => hit <= 2 ? ScriptedReply.Error(503) : Ok, null, 3),
        new("slow-then-ok", hit => hit == 1 ? Ok.WithDelay(TimeSpan.FromSeconds(10)) : Ok, null, 2),
        new("drop-then-ok", hit => hit == 1 ? ScriptedReply.Drop() : Ok, null, 2),
        new("cut-then-ok", hit => hit == 1 ? Ok.WithFault(ScriptedFault.DropMidBody) : Ok, null, 2),
        new("400", _ => ScriptedReply.Error(400), TeacherErrorCategory.BadRequest, 1),
        new("401", _ => ScriptedReply.Error(401), TeacherErrorCategory.Authentication, 1),
        new("403", _ => ScriptedReply.Error(403), TeacherErrorCategory.Authentication, 1),
        new("404", _ => ScriptedReply.Error(404), TeacherErrorCategory.NotFound, 1),
        new("filtered", _ => ScriptedReply.Error(400, "blocked", "content_filter"), TeacherErrorCategory.ContentFilter, 1),
        new("malformed", _ => ScriptedReply.Malformed(), TeacherErrorCategory.MalformedResponse, 1),
        new("always-503", _ => ScriptedReply.Error(503), TeacherErrorCategory.Unavailable, 3),
        new("always-429", _ => ScriptedReply.Error(429).WithHeader("Retry-After", "0"), TeacherErrorCategory.RateLimited, 3),
    ];

    [Fact]
    public async Task CompleteAsync_ConcurrentMixedFaults_EachEndsInSuccessOrCategorisedError()
    {
        const int copies = 3;
        var hits = new ConcurrentDictionary<string, int>();
        await using var server = await ScriptedOpenAiServer.StartAsync();
        server.Default = ScriptedReply.From(request =>
        {
            var prompt = request.Json.GetProperty("messages")[0].GetProperty("content").GetString()!;
            var hit = hits.AddOrUpdate(prompt, 1, (_, n) => n + 1);
            return prompt == "warm-up" ? Ok : Cases.Single(c => prompt.StartsWith(c.Name + "#", StringComparison.Ordinal)).Reply(hit);
        });
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher(
            "t", server.V1, ("MaxRetries", "2"), ("AttemptTimeoutSeconds", "1.5"), ("MaxConcurrency", "16"), ("CircuitBreakerMinimumThroughput", "1000")));
        var teacher = await host.Factory.GetAsync("t", CancellationToken.None);
        await teacher.CompleteAsync(TeacherTestHost.Chat("warm-up"), CancellationToken.None); // JIT and connection set-up stay out of the timeouts

        var runs = Cases.SelectMany(c => Enumerable.Range(0, copies).Select(i => (Case: c, Prompt: $"{c.Name}#{i}"))).Select(async run =>
        {
            try
            {
                var response = await teacher.CompleteAsync(TeacherTestHost.Chat(run.Prompt), CancellationToken.None);
                return (run.Case, run.Prompt, Outcome: (TeacherErrorCategory?)null, Text: response.Text);
            }
            catch (TeacherException ex)
            {
                return (run.Case, run.Prompt, Outcome: (TeacherErrorCategory?)ex.Category, Text: ex.Message);
            }
        }).ToList();
        var results = await Task.WhenAll(runs);

        Assert.All(results, r =>
        {
            Assert.True(r.Case.Expected == r.Outcome, $"{r.Prompt}: expected {r.Case.Expected?.ToString() ?? "success"}, got {r.Outcome?.ToString() ?? "success"}: {r.Text}");
            Assert.True(r.Case.Hits == hits[r.Prompt], $"{r.Prompt}: expected {r.Case.Hits} hits, server saw {hits[r.Prompt]}");
            Assert.StartsWith(r.Outcome is { } category ? $"teacher 't': {category}: " : "fine", r.Text, StringComparison.Ordinal);
        });
        Assert.Equal(1 + (Cases.Sum(c => c.Hits) * copies), server.HitCount);
    }
}
