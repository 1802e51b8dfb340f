using LLMDistill.Generation;
using LLMDistill.Generation.Prompts;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Generation;

public sealed class PromptTemplateTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "llmd-prompts-" + Guid.NewGuid().ToString("N")[..8]);

    public PromptTemplateTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_RepositoryPrompts_AllValid()
    {
        var chat = new GenerateOptions { JudgeTeacher = "j" };
        var completion = new GenerateOptions { JudgeTeacher = "j", Mode = TeacherMode.Completion };
        var names = PromptLibrary.RequiredBy(chat).Concat(PromptLibrary.RequiredBy(completion)).ToList();

        var library = PromptLibrary.Load(Path.Combine(SharedPaths.RepoRoot, "prompts"), names);

        Assert.Equal(names.Distinct().Count(), library.Hashes.Count);
        Assert.Contains("evol-broaden", library.Hashes.Keys);
    }

    [Fact]
    public void Load_UnknownPlaceholder_IsAnErrorNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_dir, "answer.md"), "{instruction}{input_section} in {langauge}");

        var error = Assert.Throws<FormatException>(() => PromptLibrary.Load(_dir, [TemplateNames.Answer]));

        Assert.Contains("answer.md", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown placeholder(s) {langauge}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingPlaceholder_IsAnErrorNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_dir, "expand-self-instruct.md"), "Write {count} tasks.");

        var error = Assert.Throws<FormatException>(() => PromptLibrary.Load(_dir, [TemplateNames.ExpandSelfInstruct]));

        Assert.Contains("expand-self-instruct.md", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing placeholder(s) {examples}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SystemUserCommentAndEscapes_RenderVerbatim()
    {
        var template = PromptTemplate.Parse("judge", "judge.md", "<!-- doc {not_a_placeholder} -->\n[system]\nGrade <{sample_tag}>.\n[user]\n{sample}\nReply {{\"score\": 1}}");

        var messages = template.RenderChat(new Dictionary<string, string> { ["sample"] = "text with {sample_tag} inside", ["sample_tag"] = "t1" });

        Assert.Equal(["system", "user"], messages.Select(m => m.Role));
        Assert.Equal("Grade <t1>.", messages[0].Content);
        Assert.Equal("text with {sample_tag} inside\nReply {\"score\": 1}", messages[1].Content);
    }

    [Theory]
    [InlineData("Unbalanced { brace")]
    [InlineData("Stray } brace")]
    [InlineData("{Bad-Name}")]
    public void Parse_MalformedBraces_AreErrorsWithLine(string text)
    {
        var error = Assert.Throws<FormatException>(() => PromptTemplate.Parse("answer", "p/answer.md", "ok\n" + text));

        Assert.StartsWith("p/answer.md:2:", error.Message, StringComparison.Ordinal);
    }
}
