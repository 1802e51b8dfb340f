using LLMDistill.Hub;

namespace LLMDistill.Tests.Hub;

public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("*.safetensors", "model.safetensors", true)]
    [InlineData("*.safetensors", "model-00001-of-00002.safetensors", true)]
    [InlineData("*.safetensors", "sub/model.safetensors", true)] // fnmatch's '*' crosses '/', as in huggingface_hub
    [InlineData("*.safetensors", "model.safetensors.index.json", false)]
    [InlineData("config.json", "config.json", true)]
    [InlineData("config.json", "sub/config.json", false)]
    [InlineData("config.json", "configXjson", false)]
    [InlineData("onnx/", "onnx/model.onnx", true)]
    [InlineData("onnx/", "onnx", false)]
    [InlineData("model-?.bin", "model-1.bin", true)]
    [InlineData("model-?.bin", "model-12.bin", false)]
    [InlineData("model-[0-9].bin", "model-7.bin", true)]
    [InlineData("model-[!0-9].bin", "model-7.bin", false)]
    [InlineData("model-[!0-9].bin", "model-x.bin", true)]
    [InlineData("weird[", "weird[", true)]
    [InlineData("*.BIN", "model.bin", false)]
    public void IsMatch_FollowsFnmatch(string pattern, string path, bool expected)
        => Assert.Equal(expected, new GlobPattern(pattern).IsMatch(path));

    [Fact]
    public void DefaultAllowPatterns_SelectModelFilesOnly()
    {
        var patterns = new HubOptions().EffectiveAllowPatterns().Select(p => new GlobPattern(p)).ToArray();
        string[] wanted = ["config.json", "generation_config.json", "model.safetensors", "model-00001-of-00002.safetensors", "model.safetensors.index.json",
            "tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json"];
        string[] unwanted = ["pytorch_model.bin", "model.pt", "onnx/model.onnx", "model-q4_k_m.gguf", "README.md", ".gitattributes", "flax_model.msgpack"];

        Assert.All(wanted, f => Assert.True(GlobPattern.MatchesAny(patterns, f), f));
        Assert.All(unwanted, f => Assert.False(GlobPattern.MatchesAny(patterns, f), f));
    }
}
