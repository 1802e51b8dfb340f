using System.Text.Json;
using LLMDistill.Hub;

namespace LLMDistill.Tests.Hub;

public sealed class HubApiParsingTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private static readonly HubRequestContext Context = new(HubRepoId.Parse("org/name"), "main");
    private static readonly Uri Endpoint = new("https://huggingface.co");

    private static HubRevisionInfo Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return HubApiClient.Parse(document.RootElement, Context, Endpoint);
    }

    [Fact]
    public void Parse_HubAnswer_ReadsSizesBlobIdsAndLfsHashes()
    {
        var info = Parse("""
            {"id":"org/name","sha":"SHA","siblings":[
              {"rfilename":"config.json","size":715,"blobId":"SHA"},
              {"rfilename":"model.safetensors","size":9,"blobId":"SHA","lfs":{"sha256":"SHA256","size":9,"pointerSize":134}}]}
            """.Replace("SHA256", new string('a', 64), StringComparison.Ordinal).Replace("SHA", Sha, StringComparison.Ordinal));

        Assert.Equal(Sha, info.CommitSha);
        Assert.Equal(new HubRepoFile("config.json", 715, Sha, null), info.Files[0]);
        Assert.Equal(new string('a', 64), info.Files[1].BlobName);
        Assert.True(info.Files[1].IsLfs);
    }

    [Theory]
    [InlineData("""{"siblings":[]}""", "commit hash")]
    [InlineData("""{"sha":"SHA","siblings":[{"rfilename":"../../evil.safetensors","size":1,"blobId":"SHA"}]}""", "not a safe relative path")]
    [InlineData("""{"sha":"SHA","siblings":[{"rfilename":"/etc/passwd","size":1,"blobId":"SHA"}]}""", "not a safe relative path")]
    [InlineData("""{"sha":"SHA","siblings":[{"rfilename":"config.json","blobId":"SHA"}]}""", "no 'size'")]
    [InlineData("""{"sha":"SHA","siblings":[{"rfilename":"config.json","size":1}]}""", "no 40-character 'blobId'")]
    [InlineData("""{"sha":"SHA","siblings":[{"rfilename":"m.safetensors","size":1,"blobId":"SHA","lfs":{}}]}""", "lfs.sha256")]
    [InlineData("""{"sha":"SHA","siblings":[{"rfilename":"a","size":1,"blobId":"SHA"},{"rfilename":"a","size":1,"blobId":"SHA"}]}""", "listed twice")]
    public void Parse_MalformedOrHostileAnswers_AreRejected(string json, string expected)
    {
        var ex = Assert.Throws<HubException>(() => Parse(json.Replace("SHA", Sha, StringComparison.Ordinal)));

        Assert.Equal(HubErrorCategory.InvalidResponse, ex.Category);
        Assert.Contains(expected, ex.Message);
        Assert.Contains("'org/name'@main", ex.Message);
    }
}
