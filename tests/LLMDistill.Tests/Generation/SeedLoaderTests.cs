using LLMDistill.Generation;
using LLMDistill.Generation.Seeds;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Generation;

public sealed class SeedLoaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "llmd-seeds-" + Guid.NewGuid().ToString("N")[..8]);

    public SeedLoaderTests() => Directory.CreateDirectory(Path.Combine(_dir, "seeds"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task LoadAsync_MalformedLine_IsReportedWithFileAndLineAndSkipped()
    {
        File.WriteAllLines(Path.Combine(_dir, "seeds", "a.jsonl"),
        [
            """{"instruction": "Write a haiku about rain.", "category": "writing"}""",
            """{"instruction": "broken""",
            "",
            """{"prompt": "ROMEO:\nSoft!\n", "mode": "completion"}""",
            """{"input": "no task here"}""",
            """{"id": 7, "instruction": "Explain tides.", "input": "for kids"}""",
        ]);

        var result = await SeedLoader.LoadAsync(["seeds/*.jsonl"], _dir, TeacherMode.Chat, SeedErrorMode.Skip, CancellationToken.None);

        Assert.Equal(["Write a haiku about rain.", "Explain tides."], result.Seeds.Select(s => s.Text));
        Assert.Equal("seeds/a.jsonl:1", result.Seeds[0].Id);
        Assert.Equal("7", result.Seeds[1].Id);
        Assert.Equal("for kids", result.Seeds[1].Input);
        Assert.Equal(1, result.OtherMode);
        Assert.Equal(2, result.Errors.Count);
        Assert.StartsWith("seeds/a.jsonl:2: not valid JSON", result.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("seeds/a.jsonl:5: needs a non-empty \"instruction\" or \"prompt\"", result.Errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_FailMode_ThrowsAtTheFirstMalformedLine()
    {
        File.WriteAllLines(Path.Combine(_dir, "seeds", "a.jsonl"), ["""{"instruction": "ok task here"}""", "[1, 2]"]);

        var error = await Assert.ThrowsAsync<SeedFormatException>(() => SeedLoader.LoadAsync(["seeds/a.jsonl"], _dir, TeacherMode.Chat, SeedErrorMode.Fail, CancellationToken.None));

        Assert.StartsWith("seeds/a.jsonl:2: expected a JSON object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_TextFilesAndMissingFiles()
    {
        File.WriteAllLines(Path.Combine(_dir, "seeds", "b.txt"), ["# a comment", "Name three rivers in Africa.", "  ", "Explain compound interest."]);

        var result = await SeedLoader.LoadAsync(["seeds/*.txt"], _dir, TeacherMode.Chat, SeedErrorMode.Skip, CancellationToken.None);

        Assert.Equal(["seeds/b.txt:2", "seeds/b.txt:4"], result.Seeds.Select(s => s.Id));
        var missing = await Assert.ThrowsAsync<SeedFormatException>(() => SeedLoader.LoadAsync(["seeds/none.jsonl"], _dir, TeacherMode.Chat, SeedErrorMode.Skip, CancellationToken.None));
        Assert.Contains("seeds/none.jsonl", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_RepositorySeeds_AreValidForBothModes()
    {
        var chat = await SeedLoader.LoadAsync(GenerateOptions.DefaultSeeds, SharedPaths.RepoRoot, TeacherMode.Chat, SeedErrorMode.Fail, CancellationToken.None);
        var completion = await SeedLoader.LoadAsync(GenerateOptions.DefaultSeeds, SharedPaths.RepoRoot, TeacherMode.Completion, SeedErrorMode.Fail, CancellationToken.None);

        Assert.True(chat.Seeds.Count >= 50);
        Assert.True(chat.Seeds.Select(s => s.Category).Distinct().Count() >= 8);
        Assert.True(completion.Seeds.Count >= 30);
        Assert.All(completion.Seeds, s => Assert.Matches(@"^[A-Z][A-Z ]+:\n.+\n$", s.Text));
    }
}
