using LLMDistill.Configuration;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LLMDistill.Tests.Teachers;

/// <summary>Configuration of named teachers: start-up validation naming the key, kinds and providers, the shipped appsettings.json.</summary>
public sealed class TeacherFactoryTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/v1");

    [Theory]
    [InlineData("MaxConcurrency", "0", "Teachers:t:MaxConcurrency:")]
    [InlineData("MaxTopLogprobs", "500", "Teachers:t:MaxTopLogprobs:")]
    [InlineData("Endpoint", "not a url", "Teachers:t:Endpoint: must be an absolute http(s) URL")]
    [InlineData("Endpoint", "ftp://host/v1", "Teachers:t:Endpoint: must be an absolute http(s) URL")]
    [InlineData("TotalTimeoutSeconds", "1", "Teachers:t:TotalTimeoutSeconds: must be at least AttemptTimeoutSeconds")]
    [InlineData("AttemptTimeoutSeconds", "abc", "Teachers:t:AttemptTimeoutSeconds: cannot convert 'abc' to System.Double")]
    [InlineData("Mode", "chatty", "Teachers:t:Mode: cannot convert 'chatty' to LLMDistill.Teachers.TeacherMode")]
    [InlineData("Kind", "", "Teachers:t:Kind:")]
    [InlineData("Kind", "bedrock", "Teachers:t:Kind: unknown kind 'bedrock' (known kinds: azure, openai)")]
    [InlineData("Kind", "local", "Teachers:t:Kind: unknown kind 'local' (the local kind is provided by LLMDistill.Training")]
    [InlineData("Model", "", "Teachers:t:Model: required for kind 'openai'")]
    [InlineData("ApiKeyEnvironmentVariable", "UNSET_VARIABLE", "Teachers:t:ApiKeyEnvironmentVariable: the environment variable 'UNSET_VARIABLE' is not set")]
    [InlineData("BudgetUsd", "-1", "Teachers:t:BudgetUsd:")]
    [InlineData("CircuitBreakerFailureRatio", "2", "Teachers:t:CircuitBreakerFailureRatio:")]
    public void Create_InvalidSetting_FailsAtStartupNamingTheKey(string key, string value, string expectedStart)
    {
        var settings = TeacherTestHost.OpenAiTeacher("t", Endpoint, (key, value));

        var error = Assert.Throws<OptionsValidationException>(() => TeacherTestHost.Create(settings));

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_OpenAiWithoutEndpointOrKey_AsksForTheKey()
    {
        var settings = TeacherTestHost.OpenAiTeacher("t", Endpoint, ("Endpoint", null));

        var error = Assert.Throws<OptionsValidationException>(() => TeacherTestHost.Create(settings));

        Assert.StartsWith("Teachers:t:ApiKeyEnvironmentVariable: api.openai.com needs an API key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_AzureWithoutEndpoint_NamesEndpoint()
    {
        var settings = TeacherTestHost.OpenAiTeacher("az", Endpoint, ("Kind", "azure"), ("Endpoint", null), ("Deployment", "d"));

        var error = Assert.Throws<OptionsValidationException>(() => TeacherTestHost.Create(settings));

        Assert.StartsWith("Teachers:az:Endpoint: required for kind 'azure'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_AzureWithoutKey_UsesEntraIdWithoutContactingAnything()
    {
        var settings = TeacherTestHost.OpenAiTeacher("az", new Uri("https://example.openai.azure.com"), ("Kind", "azure"), ("Deployment", "d"));
        await using var host = TeacherTestHost.Create(settings);

        var teacher = await host.Factory.GetAsync("az", CancellationToken.None);

        Assert.Equal("az", teacher.Name);
    }

    [Fact]
    public void Create_UnknownDefault_NamesTeachersDefault()
    {
        var settings = TeacherTestHost.OpenAiTeacher("t", Endpoint);
        settings["Teachers:Default"] = "missing";

        var error = Assert.Throws<OptionsValidationException>(() => TeacherTestHost.Create(settings));

        Assert.Equal("Teachers:Default: no teacher named 'missing' (configured: t)", error.Message);
    }

    [Fact]
    public async Task GetAsync_DisabledTeacher_IsListedNotValidatedAndRefused()
    {
        var settings = TeacherTestHost.OpenAiTeacher("t", Endpoint);
        settings["Teachers:example:Kind"] = "azure";
        settings["Teachers:example:Enabled"] = "false"; // no endpoint, no deployment: fine while disabled
        settings["Teachers:Default"] = "t";
        await using var host = TeacherTestHost.Create(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Factory.GetAsync("example", CancellationToken.None).AsTask());

        Assert.Equal(["example", "t"], host.Factory.TeacherNames);
        Assert.Equal("t", host.Factory.DefaultTeacher);
        Assert.Equal("Teachers:example:Enabled: teacher 'example' is disabled", error.Message);
    }

    [Fact]
    public async Task GetAsync_UnknownTeacher_ListsConfiguredOnes()
    {
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", Endpoint));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Factory.GetAsync("nope", CancellationToken.None).AsTask());

        Assert.Equal("Teachers:nope: no such teacher (configured: t)", error.Message);
    }

    [Fact]
    public async Task GetAsync_SameName_ReturnsTheSameClient()
    {
        await using var host = TeacherTestHost.Create(TeacherTestHost.OpenAiTeacher("t", Endpoint));

        var first = await host.Factory.GetAsync("t", CancellationToken.None);
        var second = await host.Factory.GetAsync("T", CancellationToken.None);

        Assert.Same(first, second);
    }

    [Fact]
    public async Task ShippedAppSettings_ExampleTeachers_AreDisabledAndValidWhenEnabled()
    {
        var path = Path.Combine(SharedPaths.RepoRoot, "appsettings.json");
        var shipped = new ConfigurationBuilder().AddJsonFile(path).Build();
        var factory = new TeacherFactory(shipped, [new LocalTeacherProvider()], new CapturingLoggerProvider(), TimeProvider.System, _ => null);
        await using (factory)
        {
            Assert.Contains("vllm", factory.TeacherNames);
            Assert.Contains("openai", factory.TeacherNames);
            Assert.Equal("local", factory.DefaultTeacher);
            Assert.True(factory.Definition("local").Options.Enabled);
            foreach (var name in factory.TeacherNames.Where(n => n is "openai" or "vllm" or "azure"))
            {
                Assert.False(factory.Definition(name).Options.Enabled);
            }
        }

        var enabled = new ConfigurationBuilder().AddJsonFile(path).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Teachers:openai:Enabled"] = "true",
            ["Teachers:vllm:Enabled"] = "true",
            ["Teachers:azure:Enabled"] = "true",
        }).Build();
        await using var all = new TeacherFactory(enabled, [new LocalTeacherProvider()], new CapturingLoggerProvider(), TimeProvider.System, name => name == "OPENAI_API_KEY" ? "sk-x" : null);
        Assert.True(all.Definition("vllm").Options.ScoringEnabled);
    }

    [Fact]
    public async Task AddLlmDistillTeachers_ResolvesFactoryWithRegisteredProviders()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Teachers:mini:Kind"] = "local",
            ["Teachers:mini:ModelDirectory"] = "models/mini",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<ITeacherClientProvider>(new FakeLocalProvider())
            .AddLlmDistillTeachers();
        await using var provider = services.BuildServiceProvider();

        var factory = provider.GetRequiredService<ITeacherFactory>();

        Assert.Equal(["mini"], factory.TeacherNames);
    }
}
