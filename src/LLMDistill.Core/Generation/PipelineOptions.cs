using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Generation;

/// <summary><c>Generate:Pipeline</c>: parallelism, buffering and output batching. None of these change the dataset.</summary>
public sealed class PipelineOptions
{
    /// <summary>Concurrent expansion requests.</summary>
    /// <value>4.</value>
    [Range(1, 1024)]
    public int ExpandParallelism { get; set; } = 4;

    /// <summary>Concurrent tasks being answered.</summary>
    /// <value>8.</value>
    [Range(1, 1024)]
    public int AnswerParallelism { get; set; } = 8;

    /// <summary>Concurrent samples being scored.</summary>
    /// <value>8.</value>
    [Range(1, 1024)]
    public int ScoreParallelism { get; set; } = 8;

    /// <summary>Capacity of each bounded channel between stages.</summary>
    /// <value>64.</value>
    [Range(1, 100_000)]
    public int ChannelCapacity { get; set; } = 64;

    /// <summary>Most tasks admitted past the oldest undecided one (bounds the filter's reorder buffer and wasted work at the target).</summary>
    /// <value>256.</value>
    [Range(1, 1_000_000)]
    public int ReorderWindow { get; set; } = 256;

    /// <summary>Samples per shard file.</summary>
    /// <value>10000.</value>
    [Range(1, 100_000_000)]
    public int ShardSize { get; set; } = 10_000;

    /// <summary>Records written between fsyncs.</summary>
    /// <value>32.</value>
    [Range(1, 1_000_000)]
    public int FlushEvery { get; set; } = 32;

    /// <summary>Longest time written records wait for an fsync.</summary>
    /// <value>2.</value>
    [Range(0.01, 3600)]
    public double FlushIntervalSeconds { get; set; } = 2;

    /// <summary>After Ctrl+C, how long in-flight requests may finish before they are cancelled.</summary>
    /// <value>1.5.</value>
    [Range(0.0, 3600)]
    public double ShutdownGraceSeconds { get; set; } = 1.5;

    /// <summary>Interval of plain progress log lines when the output is not a terminal.</summary>
    /// <value>10.</value>
    [Range(0.1, 86_400)]
    public double ProgressIntervalSeconds { get; set; } = 10;
}
