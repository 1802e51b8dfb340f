using System.Text;
using LLMDistill.Data;
using LLMDistill.Teachers;

namespace LLMDistill.Tests.Data;

public sealed class JsonlFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "llmd-jsonl-" + Guid.NewGuid().ToString("N")[..8]);

    public JsonlFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static DistillationSample Sample(string id) => new(
        id, TeacherMode.Chat, "Explain tides.", null, "The moon pulls the sea. ünïcode ✓",
        new SampleProvenance("s1", "explanation", "abc", "t", "m", new SamplingParameters(0.5f, 1, 64, 7), "seed", new Dictionary<string, double> { ["t"] = 1 }),
        new TeachingScores(0.8, 0.9, 3.2, 0.7, 1, "good"),
        [new TokenLogprob(" The", [32, 84], -0.1, [new TopLogprob(" The", [32, 84], -0.1, 11), new TopLogprob(" A", null, -2.5, 12)], 11)],
        [new TeacherAnswer("t2", "m2", "Gravity.", null, null)]);

    [Fact]
    public async Task ShardedWriter_RoundTripsSamplesAcrossShards()
    {
        await using (var writer = await ShardedSampleWriter.OpenAsync(_dir, shardSize: 2, CancellationToken.None))
        {
            for (var i = 0; i < 5; i++)
            {
                await writer.AppendAsync(Sample("id" + i), CancellationToken.None);
            }
        }

        var directory = DatasetDirectory.Open(_dir);
        var samples = await directory.ReadAllSamplesAsync(CancellationToken.None);

        Assert.Equal(["samples-00000.jsonl", "samples-00001.jsonl", "samples-00002.jsonl"], directory.SampleFiles.Select(Path.GetFileName));
        Assert.Equal(5, samples.Count);
        var first = samples[0];
        Assert.Equal("id0", first.Id);
        Assert.Equal(TeacherMode.Chat, first.Mode);
        Assert.Equal(Sample("id0").Response, first.Response);
        Assert.Equal(7, first.Provenance.Sampling.Seed);
        Assert.Equal(1.0, first.Provenance.TargetMixture!["t"]);
        Assert.Equal([32, 84], first.Logprobs![0].Bytes);
        Assert.Equal(12, first.Logprobs[0].Top[1].TokenId);
        Assert.Equal("t2", first.Alternatives![0].Teacher);
        Assert.Contains("\"mode\":\"chat\"", File.ReadAllText(directory.SampleFiles[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShardedWriter_ReopenedAfterTornTail_ContinuesCleanly()
    {
        await using (var writer = await ShardedSampleWriter.OpenAsync(_dir, shardSize: 10, CancellationToken.None))
        {
            await writer.AppendAsync(Sample("a"), CancellationToken.None);
        }

        var shard = Path.Combine(_dir, "samples-00000.jsonl");
        File.AppendAllText(shard, "{\"id\":\"b\",\"mo");
        await using (var writer = await ShardedSampleWriter.OpenAsync(_dir, shardSize: 10, CancellationToken.None))
        {
            Assert.Equal(1, writer.Count);
            await writer.AppendAsync(Sample("c"), CancellationToken.None);
        }

        var samples = await DatasetDirectory.Open(_dir).ReadAllSamplesAsync(CancellationToken.None);
        Assert.Equal(["a", "c"], samples.Select(s => s.Id));
    }

    [Fact]
    public void RepairTornTail_HandlesTornValidUnterminatedAndNulTails()
    {
        var path = Path.Combine(_dir, "x.jsonl");
        File.WriteAllText(path, "{\"a\":1}\n{\"a\":2");
        Assert.Equal(6, JsonlFile.RepairTornTail(path));
        Assert.Equal("{\"a\":1}\n", File.ReadAllText(path));

        File.WriteAllText(path, "{\"a\":1}\n{\"a\":2}");
        JsonlFile.RepairTornTail(path);
        Assert.Equal("{\"a\":1}\n{\"a\":2}\n", File.ReadAllText(path));

        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes("{\"a\":1}\n"), 0, 0, 0]);
        Assert.Equal(3, JsonlFile.RepairTornTail(path));
        Assert.Equal(0, JsonlFile.RepairTornTail(path));
    }

    [Fact]
    public async Task ReadAsync_MalformedMiddleLine_NamesFileAndLine()
    {
        var path = Path.Combine(_dir, "samples-00000.jsonl");
        File.WriteAllText(path, "{\"id\":\"a\"}\nnot json\n{\"id\":\"c\"}\n");

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in JsonlFile.ReadAsync(path, DatasetJson.Default.RejectedSample, skipTornTail: true, CancellationToken.None))
            {
            }
        });

        Assert.StartsWith(path + ":2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnknownManifestVersion_IsRefusedWithHint()
    {
        File.WriteAllText(Path.Combine(_dir, "manifest.json"), "{\"formatVersion\": 99}");

        var error = Assert.Throws<InvalidDataException>(() => DatasetDirectory.Open(_dir));

        Assert.Contains("format version 99", error.Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => DatasetDirectory.Open(Path.Combine(_dir, "nope")));
    }
}
