using LLMDistill.Configuration;
using LLMDistill.Teachers;

namespace LLMDistill.Generation.Pipeline;

/// <summary>The teachers of a run, resolved from the factory and checked against what their roles need.</summary>
internal sealed record TeacherRoles(ITeacherClient Expander, IReadOnlyList<ITeacherClient> Answerers, ITeacherClient? Judge, IScoringTeacherClient? Scorer)
{
    /// <exception cref="OptionsValidationException">A teacher cannot do what its role needs; the message names the key.</exception>
    public static async Task<TeacherRoles> ResolveAsync(GenerateOptions options, ITeacherFactory factory, CancellationToken cancellationToken)
    {
        var section = GenerateOptions.SectionName;
        var expander = await factory.GetAsync(options.ExpandTeacher, cancellationToken);
        Require(expander, options.Mode, $"{section}:ExpandTeacher");
        var answerers = new List<ITeacherClient>();
        foreach (var name in options.AnswerTeachers)
        {
            var teacher = await factory.GetAsync(name, cancellationToken);
            Require(teacher, options.Mode, $"{section}:AnswerTeachers");
            if (options.MultiTeacher.Mixture && teacher is not IScoringTeacherClient)
            {
                throw new OptionsValidationException($"{section}:MultiTeacher:Mixture: teacher '{name}' cannot score text (it is not a scoring teacher), so its distribution cannot be mixed");
            }

            answerers.Add(teacher);
        }

        ITeacherClient? judge = null;
        if (!string.IsNullOrWhiteSpace(options.JudgeTeacher))
        {
            judge = await factory.GetAsync(options.JudgeTeacher, cancellationToken);
            Require(judge, Teachers.TeacherMode.Chat, $"{section}:JudgeTeacher");
        }

        IScoringTeacherClient? scorer = null;
        if (!string.IsNullOrWhiteSpace(options.ScoringTeacher))
        {
            scorer = await factory.GetAsync(options.ScoringTeacher, cancellationToken) as IScoringTeacherClient
                ?? throw new OptionsValidationException($"{section}:ScoringTeacher: teacher '{options.ScoringTeacher}' cannot score text (perplexity and IFD need a scoring teacher such as a local model)");
        }

        return new TeacherRoles(expander, answerers, judge, scorer);
    }

    private static void Require(ITeacherClient teacher, TeacherMode mode, string key)
    {
        var ok = mode == TeacherMode.Chat ? teacher.Capabilities.Chat : teacher.Capabilities.Completion;
        if (!ok)
        {
            throw new OptionsValidationException($"{key}: teacher '{teacher.Name}' does not support {mode.ToString().ToLowerInvariant()} requests");
        }
    }
}
