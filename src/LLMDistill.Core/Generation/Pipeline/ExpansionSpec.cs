using LLMDistill.Teachers;

namespace LLMDistill.Generation.Pipeline;

/// <summary>One expansion request, fully determined by the seed, the round, its index and the pool before the round.</summary>
internal sealed record ExpansionSpec(int Round, int Index, string Origin, string TemplateHash, TeacherRequest Request, string SeedId, string? Category, bool RequireSpeaker)
{
    public string Key => $"x{Round:D4}.{Index:D4}";
}
