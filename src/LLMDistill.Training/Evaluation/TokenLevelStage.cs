using System.Globalization;
using LLMDistill.Evaluation.Datasets;
using LLMDistill.Evaluation.TeacherForced;
using LLMDistill.Evaluation.TokenMetrics;

namespace LLMDistill.Evaluation;

/// <summary>
/// Plans and runs the teacher-forced passes: models whose tokenizers encode every sample identically (and share a
/// vocabulary size) form a group that is evaluated in one pass, with the pairs teacher × student and teacher × teacher.
/// Models without a compatible partner still get perplexity and calibration.
/// </summary>
internal static class TokenLevelStage
{
    public sealed record Outcome(
        long Positions,
        IReadOnlyList<PerplexityMetrics> Perplexity,
        IReadOnlyList<CalibrationMetrics> Calibration,
        IReadOnlyList<TokenAgreementMetrics> Agreement,
        AgreementMatrix? Matrix,
        IReadOnlyList<string> Notes);

    public static Outcome Run(
        IReadOnlyList<EvaluatedModel> models,
        IReadOnlyList<EvalSample> samples,
        EvaluationSettings settings,
        Action<int, int>? progress,
        CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var maxLength = settings.Eval.MaxSequenceLength;
        var encoded = models.Select(m => Encode(m, samples, settings.Eval)).ToArray();
        var groups = new List<List<int>>();
        for (var i = 0; i < models.Count; i++)
        {
            var group = groups.FirstOrDefault(g => Compatible(models[g[0]], encoded[g[0]].Sequences, models[i], encoded[i].Sequences));
            if (group is null)
            {
                groups.Add([i]);
            }
            else
            {
                group.Add(i);
            }
        }

        var perplexity = new List<PerplexityMetrics>();
        var calibration = new List<CalibrationMetrics>();
        var agreement = new List<TokenAgreementMetrics>();
        long positions = 0;
        var evaluator = new TeacherForcedEvaluator(settings.Eval, settings.TokenMetrics);
        var total = groups.Sum(g => encoded[g[0]].Sequences.Count(s => s is not null));
        var doneBefore = 0;
        foreach (var group in groups)
        {
            var sequences = encoded[group[0]].Sequences.OfType<TokenizedSequence>().ToArray();
            var names = string.Join(", ", group.Select(i => models[i].Name));
            if (sequences.Length == 0)
            {
                notes.Add($"Token level: no sample has a reference answer to teacher-force ({names}).");
                continue;
            }

            if (encoded[group[0]].Truncated > 0)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"Token level: {encoded[group[0]].Truncated} responses were cut to Eval:MaxSequenceLength = {maxLength} tokens ({names})."));
            }

            var pairs = Pairs(models, group);
            var offset = doneBefore;
            var result = evaluator.Run(
                group.Select(i => models[i].Named).ToArray(),
                pairs,
                sequences,
                progress is null ? null : new InlineProgress(done => progress(offset + done, total)),
                cancellationToken);
            doneBefore += sequences.Length;
            positions = Math.Max(positions, result.Positions);
            perplexity.AddRange(result.Perplexity);
            calibration.AddRange(result.Calibration);
            agreement.AddRange(result.Agreement);
        }

        if (groups.Count > 1)
        {
            notes.Add("Token level: the models do not all share one tokenizer, so only models within a group were compared ("
                + string.Join("; ", groups.Select(g => string.Join(", ", g.Select(i => models[i].Name)))) + "); perplexities of different tokenizers are per different tokens and not comparable.");
        }

        var matrix = agreement.Count == 0 ? null : AgreementMatrix.From(models.Select(m => m.Name).ToArray(), agreement);
        return new Outcome(positions, perplexity, calibration, agreement, matrix, notes);
    }

    /// <summary>Every teacher against every student of the group (teacher = reference P), then teacher × teacher.</summary>
    private static List<ModelPair> Pairs(IReadOnlyList<EvaluatedModel> models, List<int> group)
    {
        var pairs = new List<ModelPair>();
        var students = group.Select((m, local) => (m, local)).Where(x => models[x.m].Role == "student").Select(x => x.local).ToArray();
        var teachers = group.Select((m, local) => (m, local)).Where(x => models[x.m].Role != "student").Select(x => x.local).ToArray();
        foreach (var t in teachers)
        {
            pairs.AddRange(students.Select(s => new ModelPair(t, s)));
        }

        for (var i = 0; i < teachers.Length; i++)
        {
            for (var j = i + 1; j < teachers.Length; j++)
            {
                pairs.Add(new ModelPair(teachers[i], teachers[j]));
            }
        }

        return pairs;
    }

    private static (TokenizedSequence?[] Sequences, int Truncated) Encode(EvaluatedModel model, IReadOnlyList<EvalSample> samples, EvalOptions options)
    {
        var truncated = 0;
        var sequences = samples.Select(s =>
        {
            var prompt = EvalSequences.Prompt(model.Tokenizer, s, options, model.Name);
            var sequence = EvalSequences.Sequence(model.Tokenizer, s, prompt, options.MaxSequenceLength, out var cut);
            truncated += cut ? 1 : 0;
            return sequence;
        }).ToArray();
        return (sequences, truncated);
    }

    private static bool Compatible(EvaluatedModel a, TokenizedSequence?[] sa, EvaluatedModel b, TokenizedSequence?[] sb)
    {
        if (a.Model.Config.VocabSize != b.Model.Config.VocabSize)
        {
            return false;
        }

        for (var i = 0; i < sa.Length; i++)
        {
            if ((sa[i] is null) != (sb[i] is null)
                || (sa[i] is { } x && sb[i] is { } y && (x.PromptLength != y.PromptLength || !x.Ids.SequenceEqual(y.Ids))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reports synchronously on the evaluating thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class InlineProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
