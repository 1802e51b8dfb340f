using LLMDistill.Configuration;
using LLMDistill.Hub;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Tests.Hub;

public sealed class HubOptionsTests
{
    [Fact]
    public void Bind_RepositoryAppsettings_GivesTheDefaults()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(SharedPathsRepo(), "appsettings.json")).Build();

        var options = OptionsBinder.Bind<HubOptions>(configuration, HubOptions.SectionName);

        Assert.Equal(HubOptions.DefaultAllowPatterns, options.EffectiveAllowPatterns());
        Assert.Equal(4, options.MaxConcurrentDownloads);
        Assert.True(options.UseSymlinks);
    }

    [Theory]
    [InlineData("Endpoint", "not a url", "Hub:Endpoint")]
    [InlineData("Endpoint", "ftp://example.com", "Hub:Endpoint")]
    [InlineData("MaxConcurrentDownloads", "0", "Hub:MaxConcurrentDownloads")]
    [InlineData("ReadTimeout", "00:00:00", "Hub:ReadTimeout")]
    [InlineData("MaxRetries", "abc", "Hub")]
    public void Bind_BadValues_NameTheKey(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new($"Hub:{key}", value)]).Build();

        var ex = Assert.Throws<OptionsValidationException>(() => OptionsBinder.Bind<HubOptions>(configuration, HubOptions.SectionName));

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void EffectiveAllowPatterns_ConfiguredListReplacesDefaultsAndIncludeAdds()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Hub:AllowPatterns:0", "*.gguf")]).Build();
        var options = OptionsBinder.Bind<HubOptions>(configuration, HubOptions.SectionName);

        Assert.Equal(["*.gguf", "*.bin"], options.EffectiveAllowPatterns(["*.bin", "*.gguf"]));
    }

    [Fact]
    public void Downloader_EndpointAndCache_OptionsWinOverEnvironment()
    {
        var environment = HubEnvironment.FromVariables(name => name switch
        {
            "HF_ENDPOINT" => "https://mirror.example/hf/",
            "HF_HUB_CACHE" => "/tmp/from-env",
            _ => null,
        });
        using var client = new HttpClient();

        var fromEnvironment = new HubDownloader(client, new HubOptions(), environment, TimeProvider.System, NullLogger<HubDownloader>.Instance);
        var fromOptions = new HubDownloader(client, new HubOptions { Endpoint = "http://127.0.0.1:9", CacheDir = "/tmp/from-options" }, environment,
            TimeProvider.System, NullLogger<HubDownloader>.Instance);

        Assert.Equal("https://mirror.example/hf", fromEnvironment.Endpoint.AbsoluteUri.TrimEnd('/'));
        Assert.Equal("/tmp/from-env", fromEnvironment.CacheDir);
        Assert.Equal("http://127.0.0.1:9/", fromOptions.Endpoint.AbsoluteUri);
        Assert.Equal("/tmp/from-options", fromOptions.CacheDir);
    }

    [Fact]
    public void Downloader_BadHfEndpoint_NamesTheVariable()
    {
        var environment = HubEnvironment.FromVariables(name => name == "HF_ENDPOINT" ? "huggingface.co" : null);
        using var client = new HttpClient();

        var ex = Assert.Throws<OptionsValidationException>(() => new HubDownloader(client, new HubOptions(), environment, TimeProvider.System, NullLogger<HubDownloader>.Instance));

        Assert.StartsWith("HF_ENDPOINT:", ex.Message);
    }

    private static string SharedPathsRepo() => Fixtures.SharedPaths.RepoRoot;
}
