using LLMDistill.Evaluation;
using LLMDistill.Evaluation.Datasets;
using LLMDistill.Teachers;
using LLMDistill.Tests.Checkpoints;

namespace LLMDistill.Tests.Evaluation.Datasets;

public sealed class EvalDataLoaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task LoadAsync_DatasetDirectory_ReadsShardsInOrderWithTeachingValues()
    {
        var dataset = Directory.CreateDirectory(_dir.File("ds")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dataset, "samples-00001.jsonl"), Row("c", 0.4) + "\n" + Row("d", 0.5) + "\n");
        await File.WriteAllTextAsync(Path.Combine(dataset, "samples-00000.jsonl"), Row("a", 0.9) + "\n\n" + Row("b", 0.8) + "\n");
        await File.WriteAllTextAsync(
            Path.Combine(dataset, "rejected.jsonl"),
            """{"key":"k1","reason":"filter:below-threshold","scores":{"combined":0.1}}""" + "\n"
            + """{"key":"k2","reason":"dedupe:near"}""" + "\n"
            + """{"key":"k3","reason":"filter:below-threshold","scores":{"combined":0.2""");   // torn tail of a running writer

        var data = await EvalDataLoader.LoadAsync(dataset, new EvalOptions { MaxSamples = 3 }, CancellationToken.None);

        Assert.Equal(EvalDataKind.DatasetDirectory, data.Kind);
        Assert.Equal(["a", "b", "c"], data.Samples.Select(s => s.Id));
        Assert.Equal([0.9, 0.8, 0.4, 0.5], data.KeptScores);
        Assert.Equal([0.1], data.RejectedScores);
        Assert.Equal("teacher-x", data.ReferenceTeacher);
        Assert.True(data.HasReferences);
        var first = data.Samples[0];
        Assert.Equal((TeacherMode.Chat, "task a", "input a", "answer a"), (first.Mode, first.Instruction, first.Input, first.Reference));
        Assert.Equal("task a\n\ninput a", first.UserMessage);
        Assert.EndsWith("samples-00000.jsonl:1", first.Source);
    }

    [Fact]
    public async Task LoadAsync_JsonlShapes_AlpacaAndCompletionRowsAreRead()
    {
        var file = _dir.File("rows.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"instruction":"Name a colour.","input":"","output":"Blue."}""",
            """{"prompt":"ROMEO:\n","completion":"O, she doth teach the torches to burn bright!"}""",
            """{"id":"x","mode":"completion","instruction":"JULIET:\n"}""",
        ]);

        var data = await EvalDataLoader.LoadAsync(file, new EvalOptions(), CancellationToken.None);

        Assert.Equal(EvalDataKind.Jsonl, data.Kind);
        Assert.Equal([TeacherMode.Chat, TeacherMode.Completion, TeacherMode.Completion], data.Samples.Select(s => s.Mode));
        Assert.Equal(["Blue.", "O, she doth teach the torches to burn bright!", null], data.Samples.Select(s => s.Reference));
        Assert.Equal([file + ":1", file + ":2", "x"], data.Samples.Select(s => s.Id));
        Assert.Equal("Name a colour.", data.Samples[0].UserMessage);
        Assert.False(data.HasReferences);
        Assert.Null(data.KeptScores);
    }

    [Theory]
    [InlineData("{\"instruction\": \"ok\"}\n{\"instruction\": ", 2, "not valid JSON")]
    [InlineData("[1, 2]", 1, "expected a JSON object")]
    [InlineData("{\"text\": \"hello\"}", 1, "no \"instruction\" or \"prompt\" string")]
    [InlineData("{\"instruction\": 42}", 1, "\"instruction\" must be a string")]
    [InlineData("{\"instruction\": \"x\", \"mode\": \"poem\"}", 1, "\"mode\" must be \"chat\" or \"completion\"")]
    [InlineData("{\"instruction\": \"  \"}", 1, "the instruction/prompt is empty")]
    public async Task LoadAsync_MalformedJsonl_FailsNamingFileAndLine(string text, int line, string reason)
    {
        var file = _dir.File("bad.jsonl");
        await File.WriteAllTextAsync(file, text);
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => EvalDataLoader.LoadAsync(file, new EvalOptions(), CancellationToken.None));
        Assert.StartsWith($"{file}:{line}: ", ex.Message);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public async Task LoadAsync_Text_CutsWindowsOfWholeLinesFromTheStartFraction()
    {
        var file = _dir.File("play.txt");
        var lines = Enumerable.Range(1, 100).Select(i => $"line {i:D3} of the play").ToArray(); // 20 characters + newline
        await File.WriteAllTextAsync(file, string.Join("\n", lines) + "\n");

        var options = new EvalOptions { TextStart = 0.5, TextPromptChars = 30, TextWindowChars = 100, MaxSamples = 3 };
        var data = await EvalDataLoader.LoadAsync(file, options, CancellationToken.None);

        Assert.Equal(EvalDataKind.Text, data.Kind);
        Assert.Equal(["play.txt:51", "play.txt:56", "play.txt:61"], data.Samples.Select(s => s.Id));
        var first = data.Samples[0];
        Assert.Equal(TeacherMode.Completion, first.Mode);
        Assert.Equal("line 051 of the play\nline 052 of the play\n", first.Instruction);
        Assert.Equal(string.Concat(lines[52..55].Select(l => l + "\n")), first.Reference);
        Assert.Contains("from 0.5 of the file", data.Description);
    }

    [Fact]
    public async Task LoadAsync_TextWithNulBytes_FailsNamingTheFile()
    {
        var file = _dir.File("weights.bin");
        await File.WriteAllBytesAsync(file, [1, 0, 2, 0]);
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => EvalDataLoader.LoadAsync(file, new EvalOptions(), CancellationToken.None));
        Assert.Contains(file, ex.Message);
    }

    [Fact]
    public async Task LoadAsync_MissingOrEmpty_FailsNamingThePath()
    {
        var missing = _dir.File("nope.jsonl");
        var notFound = await Assert.ThrowsAsync<FileNotFoundException>(() => EvalDataLoader.LoadAsync(missing, new EvalOptions(), CancellationToken.None));
        Assert.Contains(missing, notFound.Message);

        var empty = _dir.File("empty.jsonl");
        await File.WriteAllTextAsync(empty, "\n\n");
        var none = await Assert.ThrowsAsync<InvalidDataException>(() => EvalDataLoader.LoadAsync(empty, new EvalOptions(), CancellationToken.None));
        Assert.Contains("holds no samples", none.Message);

        var notDataset = Directory.CreateDirectory(_dir.File("plain")).FullName;
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => EvalDataLoader.LoadAsync(notDataset, new EvalOptions(), CancellationToken.None));
        Assert.Contains("no samples-*.jsonl", ex.Message);
    }

    private static string Row(string id, double score)
    {
        var combined = score.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "{\"id\":\"" + id + "\",\"mode\":\"chat\",\"instruction\":\"task " + id + "\",\"input\":\"input " + id + "\",\"response\":\"answer " + id
            + "\",\"provenance\":{\"seedId\":\"s\",\"templateHash\":\"h\",\"teacher\":\"teacher-x\",\"model\":\"m\",\"sampling\":{\"temperature\":0.7}},"
            + "\"scores\":{\"combined\":" + combined + ",\"judge\":null}}";
    }
}
