using LLMDistill.Evaluation.Report;

namespace LLMDistill.Tests.Evaluation.Report;

public sealed class TrainingMetricsReaderTests
{
    [Fact]
    public async Task ReadAsync_ContractLines_ReadsEveryFieldAndToleratesMissingOnes()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(path,
            [
                """{"step":10,"split":"train","loss":2.5,"parts":{"ce":2.0,"kl":0.5},"lr":0.0003,"temperature":2.0,"alpha":0.5,"tokens_per_second":1234.5,"elapsed_seconds":12.0}""",
                "",
                """{"step":20,"split":"eval","loss":2.7}""",
                """{"step":30}""",
                """{"step":40,"split":"train","loss":NaN,"extra":"ignored"}""",
            ]);
            var records = await TrainingMetricsReader.ReadAsync(path, CancellationToken.None);

            Assert.Equal(4, records.Count);
            var first = records[0];
            Assert.Equal((10, "train", 2.5, 0.0003, 2.0, 0.5, 1234.5, 12.0), (first.Step, first.Split, first.Loss!.Value, first.Lr!.Value, first.Temperature!.Value, first.Alpha!.Value, first.TokensPerSecond!.Value, first.ElapsedSeconds!.Value));
            Assert.Equal(0.5, first.Parts!["kl"]);
            Assert.Equal(("eval", 2.7), (records[1].Split, records[1].Loss!.Value));
            Assert.Equal(("train", null), (records[2].Split, records[2].Loss));
            Assert.True(double.IsNaN(records[3].Loss!.Value));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("{\"step\":1}\n{\"step\": 2, \"loss\": }", ":2: ")]
    [InlineData("{\"loss\": 1.0}", ":1: missing or non-integer \"step\"")]
    [InlineData("{\"step\": 1.5}", ":1: missing or non-integer \"step\"")]
    [InlineData("{\"step\": 1, \"split\": \"test\"}", ":1: \"split\" must be")]
    [InlineData("[1, 2]", ":1: expected a JSON object")]
    public async Task ReadAsync_MalformedLine_FailsNamingFileAndLine(string content, string expected)
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, content);
            var ex = await Assert.ThrowsAsync<InvalidDataException>(() => TrainingMetricsReader.ReadAsync(path, CancellationToken.None));
            Assert.StartsWith(path, ex.Message);
            Assert.Contains(expected, ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadAsync_MissingFile_Throws()
        => await Assert.ThrowsAsync<FileNotFoundException>(() => TrainingMetricsReader.ReadAsync("/nonexistent/metrics.jsonl", CancellationToken.None));
}
