using LLMDistill.Data;
using LLMDistill.Text;

namespace LLMDistill.Generation.MultiTeacher;

/// <summary>
/// Picks the answer of a multi-teacher sample (<see cref="MultiTeacherStrategy"/>) and keeps every other answer, with
/// its teacher, model and scores, as an alternative.
/// </summary>
public static class AnswerSelection
{
    /// <summary>Chooses among the answers, which are in <c>AnswerTeachers</c> order.</summary>
    /// <returns>The chosen answer and the alternatives, or null when consensus fails (<c>multi:no-consensus</c>).</returns>
    public static (TeacherAnswerCandidate Chosen, IReadOnlyList<TeacherAnswer> Alternatives)? Choose(IReadOnlyList<TeacherAnswerCandidate> answers, MultiTeacherOptions options)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(options);
        if (answers.Count == 0)
        {
            throw new ArgumentException("no answers to choose from", nameof(answers));
        }

        int chosen;
        if (answers.Count == 1 || options.Strategy == MultiTeacherStrategy.All)
        {
            chosen = 0;
        }
        else if (options.Strategy == MultiTeacherStrategy.Consensus && answers.All(a => a.Response.Trim().Length <= options.ShortAnswerMaxChars))
        {
            var groups = answers.Select((a, i) => (Key: ConsensusKey(a.Response), Index: i))
                .GroupBy(x => x.Key, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Min(x => x.Index))
                .ToList();
            var top = groups[0];
            if (top.Count() <= options.MinAgreement * answers.Count || (groups.Count > 1 && groups[1].Count() == top.Count()))
            {
                return null;
            }

            // Within the agreeing group the best-scored phrasing wins.
            chosen = top.Select(x => x.Index).OrderByDescending(i => answers[i].Scores.Combined).ThenBy(i => i).First();
        }
        else
        {
            chosen = Enumerable.Range(0, answers.Count).OrderByDescending(i => answers[i].Scores.Combined).ThenBy(i => i).First();
        }

        var alternatives = answers.Where((_, i) => i != chosen)
            .Select(a => new TeacherAnswer(a.Teacher, a.Model, a.Response, a.Scores, a.Logprobs))
            .ToList();
        return (answers[chosen], alternatives);
    }

    /// <summary>Normalised form for consensus: ROUGE tokens joined (case, punctuation and spacing ignored).</summary>
    public static string ConsensusKey(string answer) => string.Join(' ', RougeL.Tokenize(answer));
}
