using System.ComponentModel.DataAnnotations;
using LLMDistill.Configuration;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Tests.Configuration;

public sealed class OptionsBinderTests
{
    [Fact]
    public void Bind_ValueOfWrongType_NamesTheFullKey()
    {
        var config = Build(("Sample:Steps", "abc"));
        var ex = Assert.Throws<OptionsValidationException>(() => OptionsBinder.Bind<SampleOptions>(config, "Sample"));
        Assert.StartsWith("Sample:Steps: cannot convert 'abc'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ValueOutOfRange_NamesSectionAndKey()
    {
        var config = Build(("Sample:Steps", "0"));
        var ex = Assert.Throws<OptionsValidationException>(() => OptionsBinder.Bind<SampleOptions>(config, "Sample"));
        Assert.StartsWith("Sample:Steps: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ValidValues_AreBound()
        => Assert.Equal(7, OptionsBinder.Bind<SampleOptions>(Build(("Sample:Steps", "7")), "Sample").Steps);

    private static IConfiguration Build(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private sealed class SampleOptions
    {
        [Range(1, 100)]
        public int Steps { get; set; } = 10;
    }
}
