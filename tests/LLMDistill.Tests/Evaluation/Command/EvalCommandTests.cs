using LLMDistill.Tests.Checkpoints;
using LLMDistill.Tests.Evaluation.Service;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Evaluation.Command;

/// <summary><c>llmdistill eval</c> run as a process: the files it writes and the one-line error contract.</summary>
public sealed class EvalCommandTests : IDisposable
{
    private static readonly string[] Fast = ["--device", "cpu", "--max-samples", "3", "--Eval:TextStart=0.9", "--Eval:MaxNewTokens=4", "--Eval:SpeedNewTokens=2", "--Eval:SpeedBatchSize=2"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Eval_StudentTeacherText_WritesTheThreeFilesAndASummary()
    {
        var output = _dir.File("out");
        var (exit, stdout, stderr) = CliProcess.Run(
            ["eval", "--student", "small=" + EvalFixtures.Small, "--teachers", EvalFixtures.Large, "--data", EvalFixtures.Text, "--out", output, .. Fast]);

        Assert.True(exit == 0, stderr);
        Assert.Empty(stderr);
        foreach (var file in new[] { "metrics.json", "report.md", "report.html" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        }

        Assert.Contains($"wrote {Path.Combine(output, "metrics.json")}", stdout);
        Assert.Contains("The student predicts shakespeare-4m's most likely next token at", stdout);
        Assert.Contains("small vs shakespeare-4m: ROUGE-L", stdout);
        var markdown = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("| small | student |", markdown);
    }

    [Fact]
    public void Eval_TwoStudents_PrintsTheVariantTable()
    {
        var (exit, stdout, stderr) = CliProcess.Run(
            ["eval", "--student", EvalFixtures.Small, EvalFixtures.Large, "--teachers", "teacher=" + EvalFixtures.Large, "--data", EvalFixtures.Text,
             "--out", _dir.File("out"), "--Eval:Generation=false", "--Eval:Speed=false", .. Fast]);

        Assert.True(exit == 0, stderr);
        var table = stdout.Split('\n').SkipWhile(l => !l.StartsWith("variant ", StringComparison.Ordinal)).Take(3).ToArray();
        Assert.Equal(3, table.Length);
        Assert.StartsWith("shakespeare-1m ", table[1]);
        Assert.StartsWith("shakespeare-4m ", table[2]);
        Assert.Contains("100.0%", table[2]);
    }

    [Fact]
    public void Eval_MissingStudentDirectory_ExitsNonZeroWithOneLine()
    {
        var missing = _dir.File("no-such-student");
        var (exit, stdout, stderr) = CliProcess.Run("eval", "--student", missing, "--data", EvalFixtures.Text, "--out", _dir.File("out"));
        Assert.NotEqual(0, exit);
        Assert.Empty(stdout);
        CliProcess.AssertOneErrorLine(stderr, "no-such-student");
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void Eval_MalformedData_ExitsNonZeroNamingFileAndLine()
    {
        var data = _dir.File("held-out.jsonl");
        File.WriteAllText(data, "{\"instruction\": \"Speak.\", \"response\": \"I will.\"}\n{\"instruction\": \"Speak\n");
        var (exit, _, stderr) = CliProcess.Run("eval", "--student", EvalFixtures.Small, "--data", data, "--out", _dir.File("out"), "--device", "cpu");
        Assert.NotEqual(0, exit);
        CliProcess.AssertOneErrorLine(stderr, $"{data}:2: not valid JSON");
    }

    [Theory]
    [InlineData("--Eval:BatchSize=0", "Eval:BatchSize")]
    [InlineData("--Eval:TextPromptChars=900", "Eval:TextPromptChars")]
    [InlineData("--Eval:References=best", "Eval:")]
    [InlineData("--max-samples=0", "MaxSamples")]
    [InlineData("--device=tpu", "Inference:Device")]
    public void Eval_BadSetting_ExitsNonZeroNamingTheKey(string setting, string key)
    {
        var (exit, _, stderr) = CliProcess.Run("eval", "--student", EvalFixtures.Small, "--data", EvalFixtures.Text, "--out", _dir.File("out"), setting);
        Assert.NotEqual(0, exit);
        CliProcess.AssertOneErrorLine(stderr, key);
    }

    [Fact]
    public void Eval_UnknownTeacher_ExitsNonZeroNamingIt()
    {
        var (exit, _, stderr) = CliProcess.Run("eval", "--student", EvalFixtures.Small, "--teachers", "no-such-teacher", "--out", _dir.File("out"));
        Assert.NotEqual(0, exit);
        CliProcess.AssertOneErrorLine(stderr, "'no-such-teacher' is neither a model directory nor a teacher configured under Teachers:no-such-teacher");
    }
}
