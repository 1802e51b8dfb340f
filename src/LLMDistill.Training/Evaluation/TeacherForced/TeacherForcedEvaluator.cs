using LLMDistill.Evaluation.TokenMetrics;
using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Evaluation.TeacherForced;

/// <summary>
/// The teacher-forced token-level pass: every model reads the same sequences (batched, right-padded, no_grad), and at
/// every response position the evaluator compares the models' next-token distributions pairwise (top-1/top-k
/// agreement, KL both ways, JSD) and scores each model against the actual next token (perplexity, calibration). The
/// logits are never materialised for a whole batch: scored positions are gathered from the final hidden states and
/// sent through each model's lm_head in chunks sized by <see cref="EvalOptions.LogitsBudgetMiB"/>, so the
/// vocabulary-sized tensors stay bounded whatever the batch and vocabulary.
/// </summary>
public sealed class TeacherForcedEvaluator
{
    private readonly EvalOptions _options;
    private readonly TokenMetricsOptions _metrics;

    /// <summary>Creates an evaluator.</summary>
    /// <param name="options">Batching and memory settings.</param>
    /// <param name="metrics">Top-k, buckets, histogram and calibration bins.</param>
    public TeacherForcedEvaluator(EvalOptions options, TokenMetricsOptions metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _options = options;
        _metrics = metrics;
    }

    /// <summary>Runs the pass on the calling thread.</summary>
    /// <param name="models">The models, all on one device and with one vocabulary size.</param>
    /// <param name="pairs">The pairs to compare (indices into <paramref name="models"/>).</param>
    /// <param name="sequences">The sequences (shared tokenizer).</param>
    /// <param name="progress">Receives the number of sequences scored so far after every batch.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>Perplexity and calibration per model, agreement per pair.</returns>
    /// <exception cref="ArgumentException">No models, models on different devices or with different vocabularies, a bad pair index, or a malformed sequence.</exception>
    public TeacherForcedResult Run(
        IReadOnlyList<NamedModel> models,
        IReadOnlyList<ModelPair> pairs,
        IReadOnlyList<TokenizedSequence> sequences,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(sequences);
        var vocab = CheckModels(models, pairs);
        for (var i = 0; i < sequences.Count; i++)
        {
            (sequences[i] ?? throw new ArgumentException($"sequence {i} is null", nameof(sequences))).Validate(vocab, i);
        }

        var perplexity = models.Select(m => new PerplexityAccumulator(m.Name)).ToArray();
        var calibration = models.Select(m => new CalibrationAccumulator(m.Name, _metrics.CalibrationBins)).ToArray();
        var agreement = pairs.Select(p => new TokenAgreementAccumulator(models[p.Reference].Name, models[p.Compared].Name, _metrics)).ToArray();
        var chunkRows = ChunkRows(vocab, models.Count, pairs.Count);
        var device = models[0].Model.Device;
        var done = 0;
        long positions = 0;
        using (no_grad())
        {
            foreach (var batch in Batches(sequences))
            {
                cancellationToken.ThrowIfCancellationRequested();
                positions += RunBatch(models, pairs, batch, device, chunkRows, perplexity, calibration, agreement);
                done += batch.Length;
                progress?.Report(done);
            }
        }

        return new TeacherForcedResult(
            sequences.Count,
            positions,
            perplexity.Select(p => p.ToMetrics()).ToArray(),
            calibration.Select(c => c.ToMetrics()).ToArray(),
            agreement.Select(a => a.ToMetrics()).ToArray());
    }

    /// <summary>Rows of one chunk: the models' (rows, V) float32 log-probabilities plus the pair temporaries fit the budget.</summary>
    internal int ChunkRows(int vocab, int models, int pairs)
    {
        var tensors = (models * PositionStatistics.TensorsPerModel) + (pairs > 0 ? PositionStatistics.PairTemporaries : 1);
        var bytesPerRow = (long)vocab * sizeof(float) * tensors;
        return (int)Math.Clamp(_options.LogitsBudgetMiB * 1024L * 1024L / bytesPerRow, 1, int.MaxValue);
    }

    private static int CheckModels(IReadOnlyList<NamedModel> models, IReadOnlyList<ModelPair> pairs)
    {
        if (models.Count == 0)
        {
            throw new ArgumentException("no models to evaluate", nameof(models));
        }

        var first = models[0].Model;
        foreach (var m in models)
        {
            if (m.Model.Config.VocabSize != first.Config.VocabSize)
            {
                throw new ArgumentException($"'{m.Name}' has a vocabulary of {m.Model.Config.VocabSize} but '{models[0].Name}' has {first.Config.VocabSize}: token-level comparison needs a shared vocabulary", nameof(models));
            }

            if (m.Model.Device.ToString() != first.Device.ToString())
            {
                throw new ArgumentException($"'{m.Name}' is on {m.Model.Device} but '{models[0].Name}' is on {first.Device}", nameof(models));
            }
        }

        foreach (var (r, c) in pairs)
        {
            if (r < 0 || r >= models.Count || c < 0 || c >= models.Count || r == c)
            {
                throw new ArgumentException($"pair ({r}, {c}) does not name two different models of {models.Count}", nameof(pairs));
            }
        }

        return first.Config.VocabSize;
    }

    /// <summary>Sequences grouped longest first into batches of at most BatchSize rows and MaxTokensPerBatch padded tokens.</summary>
    private IEnumerable<TokenizedSequence[]> Batches(IReadOnlyList<TokenizedSequence> sequences)
    {
        var batch = new List<TokenizedSequence>();
        foreach (var sequence in sequences.OrderByDescending(s => s.Ids.Count))
        {
            // Sorted descending: the first row of a batch is its longest, so rows × that length bounds the padded size.
            var longest = batch.Count == 0 ? sequence.Ids.Count : batch[0].Ids.Count;
            if (batch.Count > 0 && (batch.Count >= _options.BatchSize || (long)(batch.Count + 1) * longest > _options.MaxTokensPerBatch))
            {
                yield return [.. batch];
                batch.Clear();
            }

            batch.Add(sequence);
        }

        if (batch.Count > 0)
        {
            yield return [.. batch];
        }
    }

    private long RunBatch(
        IReadOnlyList<NamedModel> models,
        IReadOnlyList<ModelPair> pairs,
        TokenizedSequence[] batch,
        Device device,
        int chunkRows,
        PerplexityAccumulator[] perplexity,
        CalibrationAccumulator[] calibration,
        TokenAgreementAccumulator[] agreement)
    {
        using var scope = NewDisposeScope();
        var width = batch[0].Ids.Count;

        // Right padding needs no mask: under causal attention a real position never sees the padding after it.
        var ids = new long[batch.Length * width];
        var flat = new List<long>();        // index into (B·T) of each scored position
        var labels = new List<long>();
        var where = new List<(int Position, int Length)>();
        for (var b = 0; b < batch.Length; b++)
        {
            var s = batch[b];
            for (var t = 0; t < s.Ids.Count; t++)
            {
                ids[(b * width) + t] = s.Ids[t];
            }

            for (var t = s.PromptLength - 1; t < s.Ids.Count - 1; t++)
            {
                flat.Add((b * width) + t);
                labels.Add(s.Ids[t + 1]);
                where.Add((t - s.PromptLength + 1, s.ResponseLength));
            }
        }

        var input = tensor(ids, [batch.Length, width], ScalarType.Int64, device);          // (B, T)
        var index = tensor(flat.ToArray(), ScalarType.Int64, device);                     // (N)
        var hidden = models.Select(m =>
        {
            var h = m.Model.forward(new CausalLmInput(input, ComputeLogits: false)).LastHiddenState; // (B, T, C)
            return h.reshape(-1, h.shape[2]).index_select(0, index);                                  // (N, C)
        }).ToArray();
        var target = tensor(labels.ToArray(), ScalarType.Int64, device);                  // (N)

        for (var start = 0; start < flat.Count; start += chunkRows)
        {
            using var chunkScope = NewDisposeScope();
            var length = Math.Min(chunkRows, flat.Count - start);
            var logProbs = models.Select((m, i) => m.Model.LmHead(hidden[i].narrow(0, start, length))
                .to_type(ScalarType.Float32).log_softmax(-1)).ToArray();                          // (n, V) each
            using var table = PositionStatistics.Compute(logProbs, target.narrow(0, start, length), pairs, _metrics.TopK);
            Accumulate(table.data<float>().ToArray(), length, where, start, models.Count, perplexity, calibration, agreement);
        }

        return flat.Count;
    }

    private static void Accumulate(
        float[] table,
        int rows,
        List<(int Position, int Length)> where,
        int start,
        int modelCount,
        PerplexityAccumulator[] perplexity,
        CalibrationAccumulator[] calibration,
        TokenAgreementAccumulator[] agreement)
    {
        var width = table.Length / rows;
        var nll = new double[modelCount];
        for (var r = 0; r < rows; r++)
        {
            var row = table.AsSpan(r * width, width);
            for (var m = 0; m < modelCount; m++)
            {
                var column = m * PositionStatistics.ModelColumns;
                nll[m] += row[column];
                calibration[m].Add(Math.Clamp(row[column + 1], 0.0, 1.0), row[column + 2] > 0.5f);
            }

            var (position, length) = where[start + r];
            for (var p = 0; p < agreement.Length; p++)
            {
                var column = (modelCount * PositionStatistics.ModelColumns) + (p * PositionStatistics.PairColumns);
                // Divergences are >= 0; float32 rounding can leave -1e-8 where two distributions are equal.
                agreement[p].Add(new PositionComparison(
                    position, length, row[column] > 0.5f, row[column + 1] > 0.5f, NonNegative(row[column + 2]), NonNegative(row[column + 3]), NonNegative(row[column + 4])));
            }
        }

        for (var m = 0; m < modelCount; m++)
        {
            // Rounding can leave a tiny negative NLL where a model is certain.
            perplexity[m].Add(Math.Max(0, nll[m]), rows);
        }
    }

    private static double NonNegative(float value) => float.IsNaN(value) ? double.NaN : Math.Max(0.0, value);
}
