using LLMDistill.Teachers;

namespace LLMDistill.Generation.MultiTeacher;

/// <summary>
/// Mixes several teachers' sparse top-k distributions over the same answer tokens into one set of token-level targets,
/// m(t) = Σᵢ wᵢ·pᵢ(t) with weights normalised to sum to 1.
/// <para>
/// Sparse sets: at each position teacher i lists a set Sᵢ of tokens with probabilities and leaves the mass
/// rᵢ = 1 − Σ_{Sᵢ} pᵢ unassigned. For a token in the union U that teacher i did not list, pᵢ(t) is imputed as
/// min(rᵢ / |U \ Sᵢ|, min_{Sᵢ} pᵢ): its leftover mass shared among the union tokens it missed, and never more than its own
/// k-th probability (a token it did not list cannot be likelier than the ones it did). The mixture keeps the
/// <c>topK</c> most probable tokens; their log-probabilities are ln m(t), not renormalised, so, like an API's top-k
/// logprobs, they leave the tail's mass implicit. The chosen token's own entry is ln m(chosen).
/// </para>
/// </summary>
public static class TopKMixture
{
    /// <summary>Mixes per-position distributions.</summary>
    /// <param name="teachers">Each teacher's weight and its scored tokens of the same answer (same tokenisation).</param>
    /// <param name="topK">Alternatives kept per position.</param>
    /// <returns>The mixed targets, one per answer token.</returns>
    /// <exception cref="InvalidDataException">The teachers tokenised the answer differently (different tokenizers).</exception>
    public static IReadOnlyList<TokenLogprob> Mix(IReadOnlyList<(double Weight, IReadOnlyList<TokenLogprob> Tokens)> teachers, int topK)
    {
        ArgumentNullException.ThrowIfNull(teachers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        if (teachers.Count == 0)
        {
            throw new ArgumentException("at least one teacher is needed", nameof(teachers));
        }

        var totalWeight = teachers.Sum(t => t.Weight);
        if (totalWeight <= 0 || teachers.Any(t => t.Weight < 0))
        {
            throw new ArgumentException("weights must be non-negative and not all zero", nameof(teachers));
        }

        var length = teachers[0].Tokens.Count;
        for (var i = 1; i < teachers.Count; i++)
        {
            if (teachers[i].Tokens.Count != length)
            {
                throw new InvalidDataException($"teacher {i} scored {teachers[i].Tokens.Count} tokens, teacher 0 scored {length}: the tokenizers differ");
            }
        }

        var mixed = new TokenLogprob[length];
        for (var position = 0; position < length; position++)
        {
            mixed[position] = MixPosition(teachers, position, totalWeight, topK);
        }

        return mixed;
    }

    private static TokenLogprob MixPosition(IReadOnlyList<(double Weight, IReadOnlyList<TokenLogprob> Tokens)> teachers, int position, double totalWeight, int topK)
    {
        var chosen = teachers[0].Tokens[position];
        var union = new Dictionary<string, (IReadOnlyList<byte>? Bytes, int? Id)>(StringComparer.Ordinal);
        var sets = new List<Dictionary<string, double>>(teachers.Count);
        foreach (var (_, tokens) in teachers)
        {
            var entry = tokens[position];
            if (entry.Token != chosen.Token || (entry.TokenId is { } id && chosen.TokenId is { } chosenId && id != chosenId))
            {
                throw new InvalidDataException($"position {position}: token '{entry.Token}' differs from '{chosen.Token}': the tokenizers differ");
            }

            // A teacher's listed set: its top alternatives plus the chosen token itself.
            var set = new Dictionary<string, double>(StringComparer.Ordinal) { [entry.Token] = Math.Exp(entry.Logprob) };
            union.TryAdd(entry.Token, (entry.Bytes, entry.TokenId));
            foreach (var alternative in entry.Top)
            {
                set[alternative.Token] = Math.Exp(alternative.Logprob);
                union.TryAdd(alternative.Token, (alternative.Bytes, alternative.TokenId));
            }

            sets.Add(set);
        }

        var mixture = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < teachers.Count; i++)
        {
            var set = sets[i];
            var weight = teachers[i].Weight / totalWeight;
            var missing = union.Count - set.Count;
            var imputed = missing == 0 ? 0 : Math.Min(Math.Max(0, 1 - set.Values.Sum()) / missing, set.Values.Min());
            foreach (var token in union.Keys)
            {
                mixture[token] = mixture.GetValueOrDefault(token) + (weight * (set.TryGetValue(token, out var p) ? p : imputed));
            }
        }

        var top = mixture
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(topK)
            .Select(kv => new TopLogprob(kv.Key, union[kv.Key].Bytes, Math.Log(kv.Value), union[kv.Key].Id))
            .ToList();
        return new TokenLogprob(chosen.Token, chosen.Bytes, Math.Log(mixture[chosen.Token]), top, chosen.TokenId);
    }
}
