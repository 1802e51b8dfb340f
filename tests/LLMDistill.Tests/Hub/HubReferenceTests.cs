using LLMDistill.Hub;

namespace LLMDistill.Tests.Hub;

public sealed class HubReferenceTests
{
    [Theory]
    [InlineData("HuggingFaceTB/SmolLM2-135M-Instruct", "models--HuggingFaceTB--SmolLM2-135M-Instruct")]
    [InlineData("gpt2", "models--gpt2")]
    [InlineData("org_1/model.v2", "models--org_1--model.v2")]
    public void RepoIdParse_ValidIds_GiveHfCacheFolderNames(string id, string folder)
        => Assert.Equal(folder, HubRepoId.Parse(id).CacheFolderName);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a/b/c", "not valid")]
    [InlineData("../etc", "not valid")]
    [InlineData("org/-name", "not valid")]
    [InlineData("org/na--me", "'--'")]
    [InlineData("org/na..me", "'..'")]
    [InlineData("org/name.git", ".git")]
    [InlineData("org/name with space", "not valid")]
    public void RepoIdTryParse_InvalidIds_SayWhy(string id, string expected)
    {
        Assert.False(HubRepoId.TryParse(id, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void RepoIdParse_TooLong_IsRejected()
        => Assert.Throws<FormatException>(() => HubRepoId.Parse("org/" + new string('a', 95)));

    [Theory]
    [InlineData("hf:org/name", "org/name", "main")]
    [InlineData("HF:org/name@v1.0", "org/name", "v1.0")]
    [InlineData("hf:org/name@refs/pr/1", "org/name", "refs/pr/1")]
    [InlineData("org/name@0123456789abcdef0123456789abcdef01234567", "org/name", "0123456789abcdef0123456789abcdef01234567")]
    public void ModelReferenceParse_ReadsRepoAndRevision(string text, string repo, string revision)
    {
        var reference = HubModelReference.Parse(text);

        Assert.Equal(repo, reference.RepoId.Value);
        Assert.Equal(revision, reference.Revision);
        Assert.Equal($"hf:{repo}@{revision}", reference.ToString());
    }

    [Theory]
    [InlineData("hf:org/name@../../x")]
    [InlineData("hf:org/name@/abs")]
    [InlineData("hf:org/name@a\\b")]
    public void ModelReferenceTryParse_RevisionsEscapingRefs_AreRejected(string text)
    {
        Assert.False(HubModelReference.TryParse(text, out _, out var error));
        Assert.Contains("not a valid branch", error);
    }

    [Theory]
    [InlineData("hf:org/name", true)]
    [InlineData("  HF:org/name", true)]
    [InlineData("../shared/models/shakespeare-4m", false)]
    [InlineData("org/name", false)]
    public void IsHubReference_RecognisesThePrefix(string text, bool expected)
        => Assert.Equal(expected, HubModelReference.IsHubReference(text));
}
