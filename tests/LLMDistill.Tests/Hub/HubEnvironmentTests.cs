using LLMDistill.Hub;

namespace LLMDistill.Tests.Hub;

public sealed class HubEnvironmentTests
{
    private static HubEnvironment From(params (string Name, string Value)[] variables)
        => HubEnvironment.FromVariables(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void FromVariables_NothingSet_UsesHomeCache()
    {
        var environment = From(("HOME", "/home/u"));

        Assert.Equal("/home/u/.cache/huggingface/hub", environment.DefaultCacheDir);
        Assert.Null(environment.Endpoint);
        Assert.Null(environment.Token);
        Assert.False(environment.Offline);
    }

    [Fact]
    public void FromVariables_CacheVariables_FollowHuggingfaceHubPrecedence()
    {
        Assert.Equal("/x/huggingface/hub", From(("HOME", "/home/u"), ("XDG_CACHE_HOME", "/x")).DefaultCacheDir);
        Assert.Equal("/data/hf/hub", From(("HOME", "/home/u"), ("HF_HOME", "/data/hf")).DefaultCacheDir);
        Assert.Equal("/fast/cache", From(("HOME", "/home/u"), ("HF_HOME", "/data/hf"), ("HF_HUB_CACHE", "/fast/cache")).DefaultCacheDir);
        Assert.Equal("/home/u/models", From(("HOME", "/home/u"), ("HF_HUB_CACHE", "~/models")).DefaultCacheDir);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("ON", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    public void FromVariables_HfHubOffline_IsParsedLikePython(string value, bool expected)
        => Assert.Equal(expected, From(("HF_HUB_OFFLINE", value)).Offline);

    [Fact]
    public void FromVariables_TokenFile_IsReadWhenHfTokenIsUnset()
    {
        var home = Path.Combine(Path.GetTempPath(), "llmdistill-hub-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        try
        {
            File.WriteAllText(Path.Combine(home, "token"), "hf_fromfile\n");
            string? Lookup(string name) => name == "HF_HOME" ? home : null;

            Assert.Equal("hf_fromfile", HubEnvironment.FromVariables(Lookup, readTokenFile: true).Token);
            Assert.Null(HubEnvironment.FromVariables(Lookup).Token);
            Assert.Equal("hf_env", HubEnvironment.FromVariables(n => n == "HF_TOKEN" ? "hf_env" : Lookup(n), readTokenFile: true).Token);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
