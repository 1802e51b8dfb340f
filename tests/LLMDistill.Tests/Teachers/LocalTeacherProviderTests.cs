using LLMDistill.Configuration;
using LLMDistill.Teachers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LLMDistill.Tests.Teachers;

/// <summary>The real <c>local</c> kind registered with the teacher factory: configuration, validation at start-up, decorators.</summary>
public sealed class LocalTeacherProviderTests
{
    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Teachers:bard:Kind"] = "local",
            ["Teachers:bard:Model"] = LocalModelFixture.Directory,
            ["Teachers:bard:Device"] = "cpu",
            ["Teachers:bard:MaxBatchSize"] = "8",
        };
        foreach (var (key, value) in extra)
        {
            settings[$"Teachers:bard:{key}"] = value;
        }

        return settings;
    }

    [Fact]
    public async Task GetAsync_LocalKind_LoadsTheModelBehindEveryDecorator()
    {
        await using var host = TeacherTestHost.Create(Settings(), providers: [new LocalTeacherProvider()]);

        var teacher = await host.Factory.GetAsync("bard", CancellationToken.None);
        var request = new TeacherRequest(null, "ROMEO:\n", new SamplingParameters(0, 1, 8), TopLogprobs: 2);
        var first = await teacher.CompleteAsync(request, CancellationToken.None);
        var second = await teacher.CompleteAsync(request, CancellationToken.None);
        var scored = await ((IScoringTeacherClient)teacher).ScoreAsync("ROMEO:\n", first.Text, 2, CancellationToken.None);

        Assert.IsAssignableFrom<IStreamingTeacherClient>(teacher);
        Assert.True(teacher.Capabilities.FullLogits);
        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Choices[0].Logprobs!.Select(t => t.TokenId), scored.Select(t => t.TokenId)); // teacher-forced = generated
        Assert.All(scored.Zip(first.Choices[0].Logprobs!), p => Assert.Equal(p.Second.Logprob, p.First.Logprob, tolerance: 1e-4));
        var usage = Assert.Single(host.Factory.Usage());
        Assert.Equal((3L, 1L), (usage.Requests, usage.CacheHits));
        Assert.Equal(3 + 11, usage.PromptTokens); // the first prompt (the cache hit reads none), then prompt + 8 scored tokens
    }

    [Fact]
    public async Task AddLlmDistillLocalTeacher_RegistersTheKindWithTheFactory()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(("Cache", "false"))).Build();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLlmDistillTeachers()
            .AddLlmDistillLocalTeacher()
            .BuildServiceProvider();

        var factory = services.GetRequiredService<ITeacherFactory>();
        var teacher = await factory.GetAsync("bard", CancellationToken.None);

        Assert.Equal("bard", teacher.Name);
        Assert.Equal("shakespeare-4m", (await teacher.CompleteAsync(new TeacherRequest(null, "ROMEO:\n", new SamplingParameters(0, 1, 2)), CancellationToken.None)).Model);
    }

    [Fact]
    public async Task GetAsync_HubReference_PullsThroughTheLocatorAndNamesTheModelByRepository()
    {
        var repo = Hub.FakeHubRepo.Shakespeare1m();
        await using var hub = await Hub.FakeHubServer.StartAsync(repo);
        await using var hubHost = new Hub.HubTestHost(hub.Endpoint);
        await using var host = TeacherTestHost.Create(Settings(("Model", $"hf:{repo.Id}"), ("Cache", "false")), providers: [new LocalTeacherProvider(hubHost.Locator)]);

        var teacher = await host.Factory.GetAsync("bard", CancellationToken.None);
        var response = await teacher.CompleteAsync(new TeacherRequest(null, "ROMEO:\n", new SamplingParameters(0, 1, 4)), CancellationToken.None);

        Assert.Equal(repo.Id, response.Model);
        Assert.Equal(4, response.Usage.CompletionTokens);
        Assert.True(Directory.Exists(hubHost.RepoDir(repo.Id)));
    }

    [Fact]
    public async Task GetAsync_HubReferenceWithoutHub_FailsNamingTheSetting()
    {
        await using var host = TeacherTestHost.Create(Settings(("Model", "hf:org/model")), providers: [new LocalTeacherProvider()]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Factory.GetAsync("bard", CancellationToken.None).AsTask());

        Assert.StartsWith("Teachers:bard:Model: 'hf:org/model' is a Hub reference but the Hub is not registered here", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Model", "no/such/model", "Teachers:bard:Model: the model directory 'no/such/model' does not exist")]
    [InlineData("Model", "", "Teachers:bard:Model:")]
    [InlineData("Dtype", "int8", "Teachers:bard:Dtype: must be float32, bfloat16 or float16")]
    [InlineData("Device", "tpu", "Teachers:bard:Device: must be auto, cpu, cuda or cuda:N")]
    [InlineData("MaxBatchSize", "0", "Teachers:bard:MaxBatchSize:")]
    [InlineData("Batching", "eager", "Teachers:bard")]
    public void Create_BadSetting_FailsAtStartupNamingTheKey(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => TeacherTestHost.Create(Settings((key, value)), providers: [new LocalTeacherProvider()]));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CudaOnACpuOnlyMachine_FailsAtStartupNamingTheDevice()
    {
        if (TorchSharp.torch.cuda.is_available())
        {
            return; // a GPU machine: the device is valid
        }

        var error = Assert.Throws<OptionsValidationException>(() => TeacherTestHost.Create(Settings(("Device", "cuda")), providers: [new LocalTeacherProvider()]));

        Assert.StartsWith("Teachers:bard:Device: device 'cuda' was requested but CUDA is not available", error.Message, StringComparison.Ordinal);
    }
}
