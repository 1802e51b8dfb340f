using System.Text;
using LLMDistill.Hub;

namespace LLMDistill.Tests.Hub;

public sealed class HubAuthenticationTests
{
    private const string Token = "hf_TestSecretToken9f8e7d6c5b4a";
    private static readonly FakeHubRepo Repo = FakeHubRepo.Shakespeare1m("private-org/gated-model");

    [Fact]
    public async Task PullAsync_PrivateRepoWithoutToken_FailsMentioningHfTokenWithoutRetry()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        server.RequiredToken = Token;
        await using var host = new HubTestHost(server.Endpoint);

        var ex = await Assert.ThrowsAsync<HubException>(() => host.PullAsync(Repo.Id));

        Assert.Equal(HubErrorCategory.Authentication, ex.Category);
        Assert.Equal(401, ex.StatusCode);
        Assert.Contains("HF_TOKEN", ex.Message);
        Assert.Contains(Repo.Id, ex.Message);
        Assert.Single(server.Requests);
        Assert.Null(server.Requests.Single().Authorization);
    }

    [Fact]
    public async Task PullAsync_WithToken_SendsBearerToTheHubButNeverToTheCdn()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        server.RequiredToken = Token;
        await using var host = new HubTestHost(server.Endpoint, new Dictionary<string, string> { ["HF_TOKEN"] = Token });

        var snapshot = await host.PullAsync(Repo.Id);

        var hubRequests = server.Requests.Where(r => r.Kind is "api" or "resolve").ToArray();
        Assert.NotEmpty(hubRequests);
        Assert.All(hubRequests, r => Assert.Equal($"Bearer {Token}", r.Authorization));
        var cdnRequests = server.Requests.Where(r => r.Kind == "cdn").ToArray();
        Assert.NotEmpty(cdnRequests);
        Assert.All(cdnRequests, r => Assert.Equal("localhost", r.Host));
        Assert.All(cdnRequests, r => Assert.Null(r.Authorization)); // the redirect left the Hub's host
        AssertTokenAbsent(host, snapshot.ToString(), host.Downloader.ToString()!);
    }

    [Fact]
    public async Task PullAsync_RejectedToken_ErrorSaysSoWithoutRevealingIt()
    {
        await using var server = await FakeHubServer.StartAsync(Repo);
        server.RequiredToken = "hf_SomeOtherToken";
        await using var host = new HubTestHost(server.Endpoint, new Dictionary<string, string> { ["HF_TOKEN"] = Token });

        var ex = await Assert.ThrowsAsync<HubException>(() => host.PullAsync(Repo.Id));

        Assert.Equal(HubErrorCategory.Authentication, ex.Category);
        Assert.Contains("the token in HF_TOKEN is invalid", ex.Message);
        AssertTokenAbsent(host, ex.ToString());
    }

    [Fact]
    public async Task Environment_ToString_HidesTheToken()
    {
        var environment = HubEnvironment.FromVariables(name => name == "HF_TOKEN" ? Token : null);

        Assert.Equal(Token, environment.Token);
        Assert.DoesNotContain(Token, environment.ToString());
        Assert.Contains("token=set", environment.ToString());
        await Task.CompletedTask;
    }

    /// <summary>The token must not appear in any log line, any given text, or any file the pull wrote.</summary>
    private static void AssertTokenAbsent(HubTestHost host, params string[] texts)
    {
        Assert.NotEmpty(host.Logs);
        Assert.DoesNotContain(host.Logs, l => l.Contains(Token, StringComparison.Ordinal));
        Assert.All(texts, t => Assert.DoesNotContain(Token, t, StringComparison.Ordinal));
        var needle = Encoding.UTF8.GetBytes(Token);
        var files = Directory.Exists(host.CacheDir) ? Directory.EnumerateFiles(host.CacheDir, "*", SearchOption.AllDirectories) : [];
        foreach (var file in files)
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(needle) < 0, $"the token was written to {file}");
        }
    }
}
