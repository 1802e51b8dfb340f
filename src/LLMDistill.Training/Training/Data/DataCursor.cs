using LLMDistill.Training.Options;

namespace LLMDistill.Training.Data;

/// <summary>
/// The position in the training data: (epoch, batch within the epoch). Each epoch's order is a permutation drawn from
/// (seed, epoch) and packed the same way every time, so a resumed run reads exactly the batches the uninterrupted
/// run would have read from the two saved integers.
/// </summary>
internal sealed class DataCursor
{
    private readonly IReadOnlyList<TrainingExample> _examples;
    private readonly long _seed;
    private readonly int _rowLength;
    private readonly int _batchSize;
    private readonly RowLayout _layout;
    private List<TrainingExample[][]>? _plan;
    private int _planEpoch = -1;

    /// <summary>Creates a cursor at epoch 0, batch 0.</summary>
    public DataCursor(IReadOnlyList<TrainingExample> examples, long seed, int rowLength, int batchSize, RowLayout layout)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfZero(examples.Count);
        _examples = examples;
        _seed = seed;
        _rowLength = rowLength;
        _batchSize = batchSize;
        _layout = layout;
    }

    /// <summary>The current epoch (0-based).</summary>
    public int Epoch { get; private set; }

    /// <summary>The index of the next batch within <see cref="Epoch"/>.</summary>
    public int Batch { get; private set; }

    /// <summary>Batches in one epoch.</summary>
    public int BatchesPerEpoch => PlanFor(Epoch).Count;

    /// <summary>Moves to a saved position.</summary>
    /// <exception cref="InvalidDataException">The position does not exist for this data (the data or batching changed).</exception>
    public void Seek(int epoch, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var count = PlanFor(epoch).Count;
        if (batch < 0 || batch > count)
        {
            throw new InvalidDataException($"data position epoch {epoch} batch {batch} does not exist: an epoch of this data has {count} batches (did the data or batching options change?)");
        }

        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>The next batch (rows of examples), advancing the position; a new epoch starts when one ends.</summary>
    public TrainingExample[][] Next()
    {
        var plan = PlanFor(Epoch);
        if (Batch >= plan.Count)
        {
            Epoch++;
            Batch = 0;
            plan = PlanFor(Epoch);
        }

        return plan[Batch++];
    }

    private List<TrainingExample[][]> PlanFor(int epoch)
    {
        if (_planEpoch != epoch)
        {
            var order = StableHash.Permutation(_examples.Count, (long)StableHash.Combine(_seed, epoch));
            var rows = SequencePacker.Pack(_examples, order, _rowLength, _layout);
            _plan = rows.Chunk(_batchSize).ToList();
            _planEpoch = epoch;
        }

        return _plan!;
    }
}
