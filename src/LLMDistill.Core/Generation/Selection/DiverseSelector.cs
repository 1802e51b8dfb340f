using System.Numerics.Tensors;

namespace LLMDistill.Generation.Selection;

/// <summary>
/// Score-first selection with a representation-distance constraint (DEITA's "Repr Filter", Liu et al. 2024): walk the
/// candidates best first and add one only when its cosine distance to its nearest already-selected neighbour is at least
/// a threshold, so near-copies of what is already chosen give way to the next-best sample that covers something new.
/// The threshold is fixed, or, given as 0, found from the data: the largest at which one pass still fills the budget.
/// When a pass leaves the budget short, further passes halve the threshold, and the last one (at 0) fills what is left
/// best first.
/// </summary>
public static class DiverseSelector
{
    // Below this a pass cannot change the outcome much: the remaining places are filled best first.
    private const double SmallestFallbackDistance = 1.0 / 1024;

    // The scan of the chosen set goes parallel from this many chosen samples, in blocks of this many.
    private const int ParallelScanFrom = 8192, ParallelBlock = 2048;

    /// <summary>Chooses <paramref name="budget"/> candidates (all of them when there are fewer).</summary>
    /// <param name="vectors">Unit-length vectors, row-major (<see cref="HashedTfIdf.Vectorize"/>).</param>
    /// <param name="dimensions">Length of each vector.</param>
    /// <param name="order">Candidate rows, best score first; each at most once.</param>
    /// <param name="budget">How many to choose.</param>
    /// <param name="options">The threshold (<see cref="DiversityOptions.MinDistance"/>, 0 = from the data) and bisection steps.</param>
    public static DiverseSelection Select(float[] vectors, int dimensions, IReadOnlyList<int> order, int budget, DiversityOptions options)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        if (order.Any(i => i < 0 || (long)(i + 1) * dimensions > vectors.Length))
        {
            throw new ArgumentOutOfRangeException(nameof(order), "a candidate index is outside the vectors");
        }

        if (budget >= order.Count)
        {
            return new DiverseSelection(order.ToArray(), options.MinDistance, 0); // nothing to choose between
        }

        var pass = new Pass(vectors, dimensions, order, budget);
        if (options.MinDistance > 0)
        {
            return Cascade(pass, options.MinDistance, 0);
        }

        // Bisection for the largest distance whose pass fills the budget. The count is not strictly monotone in the
        // distance (a greedy pass), so "low" is always a distance whose pass was seen to fill it; 0 always does.
        double low = 0, high = 1;
        var count = 0;
        for (var step = 0; step < options.SearchSteps; step++)
        {
            var middle = (low + high) / 2;
            pass.Reset();
            pass.Run(middle, mustFill: true);
            count++;
            (low, high) = pass.Full ? (middle, high) : (low, middle);
        }

        pass.Reset();
        if (low == 0)
        {
            // No positive distance fills it (the candidates are mostly copies): the most distant ones first, then halving.
            return Cascade(pass, high, count);
        }

        pass.Run(low);
        return new DiverseSelection(pass.Chosen.ToArray(), low, count + 1);
    }

    /// <summary>A pass at <paramref name="distance"/>, then passes at half the distance until full; the last at 0 takes the best left.</summary>
    private static DiverseSelection Cascade(Pass pass, double distance, int passesBefore)
    {
        pass.Run(distance);
        var passes = passesBefore + 1;
        for (var next = distance / 2; !pass.Full; next /= 2)
        {
            pass.Run(next < SmallestFallbackDistance ? 0 : next);
            passes++;
        }

        return new DiverseSelection(pass.Chosen.ToArray(), distance, passes);
    }

    /// <summary>One or more passes over the candidates that share the chosen set.</summary>
    private sealed class Pass(float[] vectors, int dimensions, IReadOnlyList<int> order, int budget)
    {
        private readonly float[] _chosenVectors = new float[budget * dimensions]; // contiguous, for a cache-friendly scan
        private readonly HashSet<int> _taken = [];

        public List<int> Chosen { get; } = new(budget);

        public bool Full => Chosen.Count >= budget;

        public void Reset()
        {
            Chosen.Clear();
            _taken.Clear();
        }

        /// <param name="minDistance">The distance every sample added keeps from those chosen (0: none).</param>
        /// <param name="mustFill">A bisection step: stop as soon as too few candidates are left to fill the budget.</param>
        public void Run(double minDistance, bool mustFill = false)
        {
            var maxSimilarity = (float)(1 - minDistance);
            for (var position = 0; position < order.Count; position++)
            {
                // Full, or (a bisection step) too few candidates left to fill it: the step has failed.
                if (Full || (mustFill && Chosen.Count + (order.Count - position) < budget))
                {
                    return;
                }

                var candidate = order[position];
                if (_taken.Contains(candidate))
                {
                    continue;
                }

                var vector = vectors.AsSpan(candidate * dimensions, dimensions);
                if (minDistance > 0 && TooClose(candidate, maxSimilarity))
                {
                    continue;
                }

                vector.CopyTo(_chosenVectors.AsSpan(Chosen.Count * dimensions));
                Chosen.Add(candidate);
                _taken.Add(candidate);
            }
        }

        private bool TooClose(int candidate, float maxSimilarity)
        {
            if (Chosen.Count < ParallelScanFrom)
            {
                return AnyAbove(candidate, 0, Chosen.Count, maxSimilarity);
            }

            // Large chosen sets: blocks on all cores; any hit answers the question, so the others stop.
            var found = 0;
            var blocks = (Chosen.Count + ParallelBlock - 1) / ParallelBlock;
            Parallel.For(0, blocks, (block, state) =>
            {
                var start = block * ParallelBlock;
                if (Volatile.Read(ref found) == 0 && AnyAbove(candidate, start, Math.Min(Chosen.Count, start + ParallelBlock), maxSimilarity))
                {
                    Volatile.Write(ref found, 1);
                    state.Stop();
                }
            });
            return found != 0;
        }

        private bool AnyAbove(int candidate, int start, int end, float maxSimilarity)
        {
            var vector = vectors.AsSpan(candidate * dimensions, dimensions);
            // Newest first: a near-copy of a recent pick is the likeliest early exit.
            for (var j = end - 1; j >= start; j--)
            {
                if (TensorPrimitives.Dot(vector, _chosenVectors.AsSpan(j * dimensions, dimensions)) > maxSimilarity)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
