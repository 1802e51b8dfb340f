using System.Text.Json;
using LLMDistill.Tests.Checkpoints;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Model;

/// <summary><c>llmdistill inspect logits</c> run as a process.</summary>
public sealed class InspectLogitsCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void InspectLogits_TinyLlama_WritesTheReferenceLogits()
    {
        var reference = HfReference.Load("tiny-llama");
        var input = _dir.File("in.json");
        var output = _dir.File("sub/out.json");
        File.WriteAllText(input, JsonSerializer.Serialize(new { input_ids = reference.InputIds }));
        var (exit, _, stderr) = CliProcess.Run("inspect", "logits", "--model", HfReference.Dir("tiny-llama"), "--input-ids", input, "--out", output, "--device", "cpu");
        Assert.True(exit == 0, stderr);

        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        var logits = doc.RootElement.GetProperty("logits").Deserialize<float[][][]>()!;
        Assert.Equal(reference.Logits.Length, logits.Length);
        var maxAbs = 0.0;
        for (var b = 0; b < logits.Length; b++)
        {
            Assert.Equal(reference.Logits[b].Length, logits[b].Length);
            for (var t = 0; t < logits[b].Length; t++)
            {
                maxAbs = Math.Max(maxAbs, logits[b][t].Zip(reference.Logits[b][t], (x, y) => Math.Abs(x - y)).Max());
            }
        }

        Assert.True(maxAbs < 1e-4, $"max abs diff {maxAbs}");
    }

    [Fact]
    public void InspectLogits_RaggedRows_KeepTheirOwnLengths()
    {
        var input = _dir.File("ragged.json");
        File.WriteAllText(input, """{"input_ids": [[5, 6, 7], [8], [9, 10, 11]]}""");
        var (exit, _, stderr) = CliProcess.Run("inspect", "logits", "--model", HfReference.Dir("tiny-qwen2"), "--input-ids", input, "--out", _dir.File("o.json"));
        Assert.True(exit == 0, stderr);
        var logits = JsonDocument.Parse(File.ReadAllText(_dir.File("o.json"))).RootElement.GetProperty("logits").Deserialize<float[][][]>()!;
        Assert.Equal([3, 1, 3], logits.Select(r => r.Length));
        Assert.All(logits.SelectMany(r => r), v => Assert.Equal(320, v.Length));
    }

    [Theory]
    [InlineData("""{"ids": [[1]]}""", "expected {\"input_ids\"")]
    [InlineData("""{"input_ids": [[1, "a"]]}""", "expected {\"input_ids\"")]
    [InlineData("""{"input_ids": [[1, 999]]}""", "input_ids[0][1] = 999 is outside the vocabulary [0, 384)")]
    [InlineData("""{"input_ids": [[]]}""", "at least one non-empty row")]
    public void InspectLogits_BadInput_NamesTheFile(string json, string expected)
    {
        var input = _dir.File("bad.json");
        File.WriteAllText(input, json);
        var (exit, _, stderr) = CliProcess.Run("inspect", "logits", "--model", HfReference.Dir("tiny-llama"), "--input-ids", input, "--out", _dir.File("o.json"));
        Assert.NotEqual(0, exit);
        CliProcess.AssertOneErrorLine(stderr, expected);
        Assert.Contains(input, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectLogits_MissingModelDirectory_NamesIt()
    {
        var missing = _dir.File("absent-model");
        var (exit, _, stderr) = CliProcess.Run("inspect", "logits", "--model", missing, "--input-ids", _dir.File("x.json"), "--out", _dir.File("o.json"));
        Assert.NotEqual(0, exit);
        CliProcess.AssertOneErrorLine(stderr, missing);
    }

    public void Dispose() => _dir.Dispose();
}
