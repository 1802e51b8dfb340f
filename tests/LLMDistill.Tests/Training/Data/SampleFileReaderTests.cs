using LLMDistill.Teachers;
using LLMDistill.Tests.Checkpoints;
using LLMDistill.Training.Data;

namespace LLMDistill.Tests.Training.Data;

public sealed class SampleFileReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_InstructionAndPromptRows_ReadsChatAndCompletionSamples()
    {
        var file = Write("data.jsonl", """
            {"instruction":"Name a play.","input":"one word","response":"Hamlet."}
            {"prompt":"ROMEO:","completion":" Peace."}

            {"instruction":"Continue.","output":"Aye.","mode":"completion","id":"x1"}
            """ + "\n");

        var samples = SampleFileReader.Read([file], CancellationToken.None);

        Assert.Equal(3, samples.Count);
        Assert.Equal((TeacherMode.Chat, "one word", "Hamlet."), (samples[0].Mode, samples[0].Input, samples[0].Response));
        Assert.Equal((TeacherMode.Completion, "ROMEO:", " Peace."), (samples[1].Mode, samples[1].Prompt, samples[1].Response));
        Assert.Equal((TeacherMode.Completion, "x1"), (samples[2].Mode, samples[2].Key));
        Assert.EndsWith("data.jsonl:4", samples[2].Location, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DatasetRowsOfGenerate_ReadsModeAndLogprobs()
    {
        var dir = Path.Combine(_dir.Path, "dataset");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "samples-00000.jsonl"), """
            {"id":"a","mode":"chat","instruction":"Hi","response":"Ho","provenance":{"seedId":"s:1","templateHash":"h","teacher":"t","model":"m","sampling":{"temperature":0.7}},"logprobs":[{"token":"Ho","bytes":[72,111],"logprob":-0.5,"top":[{"token":"Ho","bytes":[72,111],"logprob":-0.5}]}]}
            """ + "\n");

        var samples = SampleFileReader.ReadDataset(dir, CancellationToken.None);

        var sample = Assert.Single(samples);
        Assert.Equal("a", sample.Key);
        Assert.Equal(TeacherMode.Chat, sample.Mode);
        Assert.Equal([72, 111], sample.Logprobs![0].Bytes);
        Assert.Equal(-0.5, sample.Logprobs[0].Top[0].Logprob);
        Assert.EndsWith("samples-00000.jsonl:1", sample.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDataset_MalformedShardLine_FailsNamingFileAndLine()
    {
        var dir = Path.Combine(_dir.Path, "broken");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "samples-00000.jsonl"), "{\"id\":\"a\",\"mode\":\"chat\",\"instruction\":\"Hi\",\"response\":\"Ho\"}\n{\"id\": 3}\n");

        var ex = Assert.Throws<InvalidDataException>(() => SampleFileReader.ReadDataset(dir, CancellationToken.None));

        Assert.Contains("samples-00000.jsonl:2", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"instruction\":\"a\",\"response\":\"b\"}\n{\"instruction\": 5, \"response\":\"b\"}\n", ":2: \"instruction\" must be a string")]
    [InlineData("{\"instruction\":\"a\"}\n", ":1: a row with \"instruction\" needs a string \"response\"")]
    [InlineData("{\"text\":\"a\"}\n", ":1: expected \"instruction\" + \"response\"")]
    [InlineData("{\"prompt\":\"a\",\"completion\":\"b\"}\n{not json}\n", ":2: not valid JSON")]
    [InlineData("{\"instruction\":\"a\",\"response\":\"b\",\"mode\":\"poem\"}\n", ":1: \"mode\" must be")]
    [InlineData("{\"prompt\":\"a\",\"completion\":\"b\",\"logprobs\":[{\"token\":\"a\"}]}\n", ":1: \"logprobs\"")]
    public void Read_MalformedRow_FailsNamingFileAndLine(string content, string expected)
    {
        var file = Write("bad.jsonl", content);

        var ex = Assert.Throws<InvalidDataException>(() => SampleFileReader.Read([file], CancellationToken.None));

        Assert.Contains("bad.jsonl" + expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnterminatedTornLastLine_IsSkipped()
    {
        var file = Write("torn.jsonl", "{\"prompt\":\"a\",\"completion\":\"b\"}\n{\"prompt\":\"c\",\"compl");

        var samples = SampleFileReader.Read([file], CancellationToken.None);

        Assert.Single(samples);
    }

    [Fact]
    public void ReadDataset_DirectoryWithoutShards_SaysWhatIsMissing()
    {
        var ex = Assert.Throws<InvalidDataException>(() => SampleFileReader.ReadDataset(_dir.Path, CancellationToken.None));

        Assert.Contains("samples-*.jsonl", ex.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string content)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, content);
        return path;
    }
}
