using LLMDistill.Cli.Serving;
using LLMDistill.Configuration;
using LLMDistill.Inference;
using LLMDistill.Tests.Fixtures;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Tests.Serving;

/// <summary>The <c>Serve</c> section: the shipped defaults bind, bad values fail naming the key.</summary>
public sealed class ServeOptionsTests
{
    [Fact]
    public void Bind_ShippedAppsettings_GivesTheDocumentedDefaults()
    {
        var configuration = RepositorySettings.Load();

        var options = OptionsBinder.Bind<ServeOptions>(configuration, ServeOptions.SectionName);

        Assert.Equal(("127.0.0.1", 8000, 64, BatchingMode.Continuous, 20), (options.Host, options.Port, options.MaxBatchSize, options.Batching, options.MaxTopLogprobs));
        Assert.Equal(new SchedulerOptions(64, BatchingMode.Continuous, TimeSpan.FromMilliseconds(10), 4096), options.ToSchedulerOptions());
    }

    [Theory]
    [InlineData("Port", "70000", "Serve:Port:")]
    [InlineData("MaxBatchSize", "0", "Serve:MaxBatchSize:")]
    [InlineData("Dtype", "int4", "Serve:Dtype: must be float32, bfloat16 or float16")]
    [InlineData("Batching", "eager", "Serve:")]
    public void Bind_BadValue_FailsNamingTheKey(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Serve:{key}"] = value }).Build();

        var error = Assert.Throws<OptionsValidationException>(() => OptionsBinder.Bind<ServeOptions>(configuration, ServeOptions.SectionName));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
